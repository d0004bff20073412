// The People entity set as Cezanne's DataService names it, with a property
// of every Edm type the app must read exactly (CDS type → v4 / v2 Edm type
// in the comments).
namespace cezanne;

entity People {
  key PersonGuid    : UUID;            // Edm.Guid
      PersonCode    : String(10);      // Edm.String
      Title         : String(10);
      FirstName     : String(100);
      LastName      : String(100);
      KnownAs       : String(100);     // null for some
      FormattedName : String(200);
      EmailAddress  : String(200);
      JobTitle      : String(100);
      Department    : String(100);     // null for some
      CountryName   : String(100);
      StartDate     : Date;            // Edm.Date / Edm.DateTime
      ShiftStart    : Time;            // Edm.TimeOfDay / Edm.Time
      LastModified  : Timestamp;       // Edm.DateTimeOffset with milliseconds
      FTE           : Decimal(4, 2);   // Edm.Decimal
      Adjustment    : Decimal(12, 2);  // negative for many
      LeaveMinutes  : Int64;           // Edm.Int64, negative for some
      Rating        : Double;          // Edm.Double, negative for some
      IsActive      : Boolean;
      Notes         : LargeString;     // long text, formulas, line breaks
      ManagerGuid   : UUID;
}

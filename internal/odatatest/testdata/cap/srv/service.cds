using cezanne from '../db/schema';

// Served at /odata/v4/DataService.svc and, through the v2 adapter, at
// /odata/v2/DataService.svc. Pages of 250 rows, so a crawl of 2,500 people
// follows ten $skiptoken next links.
@path: 'DataService.svc'
service DataService {
  @readonly
  @cds.query.limit: { default: 250, max: 1000 }
  entity People as projection on cezanne.People;
}

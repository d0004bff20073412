; Per-user installer for Cezanne HR Desktop: no admin rights, installs to
; %LOCALAPPDATA%\Programs, Start-menu shortcut, Apps & Features entry, and
; the x-cez:// URL protocol under HKCU\Software\Classes (removed again by the
; uninstaller). make package-windows passes VERSION, BUILD, SRC (the folder
; with cezanne-desktop.exe and icon.ico) and OUTFILE with /D.
;
; IT can preset a tenant profile: Setup.exe /PROFILE=C:\path\profile.json
; copies it to %APPDATA%\cezanne-desktop\profile.json, which the app uses
; when nobody has chosen a profile yet. Silent install: add /S.
; Uninstall.exe /S removes the app and what it keeps for itself; /S /PURGE
; also removes the person's settings and saved sign-ins (the tick box
; "Also remove my settings and saved sign-ins" when run by hand).

; 64-bit like the app (amd64 only): a 32-bit installer would not start
; where 32-bit code cannot run (Windows on ARM without x86 emulation, Wine
; without WoW64), and the tests would not run the installer that ships.
Target amd64-unicode
!include "MUI2.nsh"
!include "FileFunc.nsh"
!include "LogicLib.nsh"
!include "WinVer.nsh"

!define APPNAME "Cezanne HR Desktop"
!define EXE "cezanne-desktop.exe"
!define UNINSTKEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\CezanneHRDesktop"
!define SCHEMEKEY "Software\Classes\x-cez"
; The prefix of the app's entries in Credential Manager: go-keyring names a
; generic credential "<service>:<user>", and the service is keyring.Service.
!define CREDPREFIX "Cezanne HR Desktop:"

Name "${APPNAME}"
OutFile "${OUTFILE}"
RequestExecutionLevel user
InstallDir "$LOCALAPPDATA\Programs\${APPNAME}"
InstallDirRegKey HKCU "Software\CezanneHRDesktop" "InstallDir"
SetCompressor /SOLID lzma
BrandingText "${APPNAME} ${VERSION}"

!define MUI_ICON "${SRC}\icon.ico"
!define MUI_UNICON "${SRC}\icon.ico"
!define MUI_FINISHPAGE_RUN "$INSTDIR\${EXE}"
!define MUI_FINISHPAGE_RUN_TEXT "Open ${APPNAME}"
!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
; One optional tick box, off: "Also remove my settings and saved sign-ins".
!define MUI_COMPONENTSPAGE_NODESC
!insertmacro MUI_UNPAGE_COMPONENTS
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "English"

VIProductVersion "${VERSION}.${BUILD}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "ProductName" "${APPNAME}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "FileDescription" "${APPNAME} Setup"
VIAddVersionKey /LANG=${LANG_ENGLISH} "FileVersion" "${VERSION}.${BUILD}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "LegalCopyright" "Cezanne HR Desktop contributors"

; Go 1.26, which builds the app, supports Windows 10 and later only: on
; older Windows the app dies at start before it can say anything. Say so
; here, in words, and install nothing (with /S: exit code 2, nothing written).
!macro RequireWindows10
  ${IfNot} ${AtLeastWin10}
    MessageBox MB_ICONSTOP "${APPNAME} needs Windows 10 or later. This computer runs an older version of Windows, on which the app cannot start, so nothing was changed." /SD IDOK
    SetErrorLevel 2
    Quit
  ${EndIf}
!macroend

Function .onInit
  !insertmacro RequireWindows10
FunctionEnd

; ProfileOption sets $R1 to the file named by /PROFILE=, or "" without one.
; The command line is split as every Windows program splits it
; (CommandLineToArgvW), so /PROFILE="C:\a b\p.json" typed in cmd and
; "/PROFILE=C:\a b\p.json" as PowerShell passes it both give C:\a b\p.json
; (GetOptions misses the second: a quote before the slash hides the option).
Function ProfileOption
  StrCpy $R1 ""
  System::Call 'kernel32::GetCommandLineW() p .r0'
  System::Call 'shell32::CommandLineToArgvW(p r0, *i .r1) p .r2'
  ${If} $2 P= 0
    Return
  ${EndIf}
  StrCpy $3 1 ; argv[0] is the installer itself
  ${DoWhile} $3 < $1
    IntPtrOp $4 $3 * ${NSIS_PTR_SIZE}
    IntPtrOp $4 $2 + $4
    System::Call '*$4(w .r5)'
    StrCpy $6 $5 9
    ${If} $6 == "/PROFILE="
      StrCpy $R1 $5 "" 9
    ${EndIf}
    IntOp $3 $3 + 1
  ${Loop}
  System::Call 'kernel32::LocalFree(p r2)'
FunctionEnd

Section "Install"
  SetShellVarContext current
  SetOutPath "$INSTDIR"
  File "${SRC}\${EXE}"
  WriteUninstaller "$INSTDIR\Uninstall.exe"
  WriteRegStr HKCU "Software\CezanneHRDesktop" "InstallDir" "$INSTDIR"

  CreateShortcut "$SMPROGRAMS\${APPNAME}.lnk" "$INSTDIR\${EXE}" "" "$INSTDIR\${EXE}" 0

  ; The sign-in comes back as an x-cez:// link: open it with this app.
  WriteRegStr HKCU "${SCHEMEKEY}" "" "URL:Cezanne HR Desktop sign-in (x-cez)"
  WriteRegStr HKCU "${SCHEMEKEY}" "URL Protocol" ""
  WriteRegStr HKCU "${SCHEMEKEY}\DefaultIcon" "" '"$INSTDIR\${EXE}",0'
  WriteRegStr HKCU "${SCHEMEKEY}\shell\open\command" "" '"$INSTDIR\${EXE}" "%1"'

  ; Apps & Features.
  WriteRegStr HKCU "${UNINSTKEY}" "DisplayName" "${APPNAME}"
  WriteRegStr HKCU "${UNINSTKEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINSTKEY}" "Publisher" "Cezanne HR Desktop contributors"
  WriteRegStr HKCU "${UNINSTKEY}" "DisplayIcon" '"$INSTDIR\${EXE}",0'
  WriteRegStr HKCU "${UNINSTKEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTKEY}" "UninstallString" '"$INSTDIR\Uninstall.exe"'
  WriteRegStr HKCU "${UNINSTKEY}" "QuietUninstallString" '"$INSTDIR\Uninstall.exe" /S'
  WriteRegDWORD HKCU "${UNINSTKEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINSTKEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  IntFmt $0 "0x%08X" $0
  WriteRegDWORD HKCU "${UNINSTKEY}" "EstimatedSize" "$0"

  ; /PROFILE=<file>: the tenant profile IT prepared.
  Call ProfileOption
  ${If} $R1 != ""
    ${If} ${FileExists} "$R1"
      CreateDirectory "$APPDATA\cezanne-desktop"
      ClearErrors
      CopyFiles /SILENT "$R1" "$APPDATA\cezanne-desktop\profile.json"
      ${If} ${Errors}
        MessageBox MB_ICONEXCLAMATION "Could not copy the profile $R1." /SD IDOK
      ${EndIf}
    ${Else}
      MessageBox MB_ICONEXCLAMATION "The profile $R1 does not exist; the app will ask for the tenant instead." /SD IDOK
    ${EndIf}
  ${EndIf}
SectionEnd

Section "un.${APPNAME}" SecApp
  SectionIn RO
  SetShellVarContext current
  Delete "$INSTDIR\${EXE}"
  Delete "$INSTDIR\Uninstall.exe"
  RMDir "$INSTDIR"
  Delete "$SMPROGRAMS\${APPNAME}.lnk"
  DeleteRegKey HKCU "${SCHEMEKEY}"
  DeleteRegKey HKCU "${UNINSTKEY}"
  DeleteRegKey HKCU "Software\CezanneHRDesktop"
  ; The single-instance channel's files (instance.key and the like), which
  ; the app writes at every start under the user cache directory
  ; (internal/instance.Dir): nobody else uses them, and a reinstall makes
  ; them again.
  RMDir /r "$LOCALAPPDATA\cezanne-desktop"
  ; Without the tick box, the person's profiles and preferences and the
  ; sign-ins in Credential Manager stay, for a reinstall.
SectionEnd

; Off unless ticked (or /PURGE): the person's profiles, preferences and the
; IT preset profile, and every saved sign-in and client secret.
Section /o "un.Also remove my settings and saved sign-ins" SecPurge
  SetShellVarContext current
  ; Fyne keeps the app's preferences (the profiles among them) here.
  RMDir /r "$APPDATA\fyne\com.cezannehr.desktop"
  RMDir "$APPDATA\fyne"
  ; The preset profile from /PROFILE= (auth.PresetProfilePath).
  RMDir /r "$APPDATA\cezanne-desktop"
  Call un.DeleteCredentials
SectionEnd

; After the sections: it names SecPurge.
Function un.onInit
  ; IT's silent uninstall: /S /PURGE ticks "Also remove my settings...".
  ${GetParameters} $R0
  ClearErrors
  ${GetOptions} $R0 "/PURGE" $R1
  ${IfNot} ${Errors}
    SectionSetFlags ${SecPurge} ${SF_SELECTED}
  ${EndIf}
FunctionEnd

; un.DeleteCredentials deletes every generic credential whose name starts
; with CREDPREFIX: CredEnumerateW lists them with a wildcard filter, then
; CredDeleteW deletes each by name. $0 is the count, $1 the array of
; PCREDENTIALW, whose TargetName follows two DWORDs (Flags, Type).
Function un.DeleteCredentials
  System::Call 'advapi32::CredEnumerateW(w "${CREDPREFIX}*", i 0, *i .r0, *p .r1) i .r2'
  ${If} $2 == 0
    Return ; none stored (ERROR_NOT_FOUND) or no Credential Manager
  ${EndIf}
  StrCpy $3 0
  ${DoWhile} $3 < $0
    IntPtrOp $4 $3 * ${NSIS_PTR_SIZE}
    IntPtrOp $4 $1 + $4
    System::Call '*$4(p .r5)'
    System::Call '*$5(i, i .r6, w .r7)'
    System::Call 'advapi32::CredDeleteW(w r7, i r6, i 0) i .r8'
    ${If} $8 == 0
      DetailPrint "Could not remove the saved sign-in $7."
    ${EndIf}
    IntOp $3 $3 + 1
  ${Loop}
  System::Call 'advapi32::CredFree(p r1)'
FunctionEnd

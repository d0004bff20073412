; Per-user installer for Cezanne HR Desktop: no admin rights, installs to
; %LOCALAPPDATA%\Programs, Start-menu shortcut, Apps & Features entry, and
; the x-cez:// URL protocol under HKCU\Software\Classes (removed again by the
; uninstaller). make package-windows passes VERSION, BUILD, SRC (the folder
; with cezanne-desktop.exe and icon.ico) and OUTFILE with /D.
;
; IT can preset a tenant profile: Setup.exe /PROFILE=C:\path\profile.json
; copies it to %APPDATA%\cezanne-desktop\profile.json, which the app uses
; when nobody has chosen a profile yet. Silent install: add /S.

Unicode true
!include "MUI2.nsh"
!include "FileFunc.nsh"
!include "LogicLib.nsh"

!define APPNAME "Cezanne HR Desktop"
!define EXE "cezanne-desktop.exe"
!define UNINSTKEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\CezanneHRDesktop"
!define SCHEMEKEY "Software\Classes\x-cez"

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
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "English"

VIProductVersion "${VERSION}.${BUILD}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "ProductName" "${APPNAME}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "FileDescription" "${APPNAME} Setup"
VIAddVersionKey /LANG=${LANG_ENGLISH} "FileVersion" "${VERSION}.${BUILD}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "LegalCopyright" "Cezanne HR Desktop contributors"


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
  ${GetParameters} $R0
  ClearErrors
  ${GetOptions} $R0 "/PROFILE=" $R1
  ${IfNot} ${Errors}
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

Section "Uninstall"
  SetShellVarContext current
  Delete "$INSTDIR\${EXE}"
  Delete "$INSTDIR\Uninstall.exe"
  RMDir "$INSTDIR"
  Delete "$SMPROGRAMS\${APPNAME}.lnk"
  DeleteRegKey HKCU "${SCHEMEKEY}"
  DeleteRegKey HKCU "${UNINSTKEY}"
  DeleteRegKey HKCU "Software\CezanneHRDesktop"
  ; Sign-ins stay in Windows Credential Manager until signed out in the
  ; app; the IT profile stays too, for a reinstall.
SectionEnd

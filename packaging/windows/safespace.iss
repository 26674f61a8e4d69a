; Inno Setup script: dist\SafeSpace-VERSION-setup.exe from the bundle in dist\SafeSpace (packaging\safespace.spec).
;     iscc /DAppVersion=0.1.0 packaging\windows\safespace.iss
; A per-user install (no administrator needed) into %LOCALAPPDATA%\Programs\SafeSpace, with a Start-menu
; entry. Uninstalling removes only these files: settings and saved checks stay in %LOCALAPPDATA%\safespace.

#ifndef AppVersion
  #error Pass the version: iscc /DAppVersion=X.Y.Z
#endif

[Setup]
; Our own AppId: Windows and Inno Setup recognise an upgrade by it. Never change it, never reuse it.
AppId={{1FEE32D0-B774-4623-AB67-0826F5051637}
AppName=SafeSpace
AppVersion={#AppVersion}
AppVerName=SafeSpace {#AppVersion}
AppPublisher=The SafeSpace developers
DefaultDirName={autopf}\SafeSpace
DefaultGroupName=SafeSpace
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\..\dist
OutputBaseFilename=SafeSpace-{#AppVersion}-setup
SetupIconFile=..\..\build\icons\safespace.ico
UninstallDisplayIcon={app}\SafeSpace.exe
UninstallDisplayName=SafeSpace
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
CloseApplications=yes

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "..\..\dist\SafeSpace\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\SafeSpace"; Filename: "{app}\SafeSpace.exe"; Comment: "Keep your clients untraceable"
Name: "{autodesktop}\SafeSpace"; Filename: "{app}\SafeSpace.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\SafeSpace.exe"; Description: "{cm:LaunchProgram,SafeSpace}"; Flags: nowait postinstall skipifsilent

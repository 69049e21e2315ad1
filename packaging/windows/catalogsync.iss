; Inno Setup 6 script over the PyInstaller one-dir build (`make package`).
; packaging/build.sh runs it on Windows (Git Bash) after PyInstaller:
;   ISCC /DAppVersion=0.1.0 /DBundleDir=C:\src\catalogsync\dist\catalogsync-gui
;        /OC:\src\catalogsync\dist packaging\windows\catalogsync.iss
; Output: CatalogSync-VERSION-setup.exe. Relative paths below are relative to this file.

#ifndef AppVersion
  #error Pass the version: ISCC /DAppVersion=X.Y.Z (build.sh reads catalogsync_gui.__version__)
#endif
#ifndef BundleDir
  #define BundleDir "..\..\dist\catalogsync-gui"
#endif

[Setup]
; The AppId ties upgrades and the uninstaller together: never change it.
AppId={{961F5FDA-FB50-4A94-91B7-BA74C1B0F498}
AppName=CatalogSync
AppVersion={#AppVersion}
AppVerName=CatalogSync {#AppVersion}
AppPublisher=CatalogSync developers
VersionInfoVersion={#AppVersion}
; All users (Program Files, needs admin) by default; the dialog, or /CURRENTUSER on the
; command line, installs for the current user only into %LOCALAPPDATA%\Programs.
PrivilegesRequired=admin
PrivilegesRequiredOverridesAllowed=dialog commandline
DefaultDirName={autopf}\CatalogSync
DefaultGroupName=CatalogSync
DisableProgramGroupPage=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputBaseFilename=CatalogSync-{#AppVersion}-setup
SetupIconFile=..\..\resources\catalogsync-gui.ico
UninstallDisplayIcon={app}\CatalogSync.exe
UninstallDisplayName=CatalogSync
; A running CatalogSync holds its files open: ask to close it before replacing them.
CloseApplications=yes
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
; CatalogSync.exe (windowed, for the Start menu), catalogsync-gui.exe (console: --version,
; --headless, subcommands) and their shared _internal folder.
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[InstallDelete]
; An upgrade must not keep modules the new version no longer ships.
Type: filesandordirs; Name: "{app}\_internal"

[Icons]
Name: "{autoprograms}\CatalogSync"; Filename: "{app}\CatalogSync.exe"
Name: "{autodesktop}\CatalogSync"; Filename: "{app}\CatalogSync.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\CatalogSync.exe"; Description: "{cm:LaunchProgram,CatalogSync}"; Flags: nowait postinstall skipifsilent

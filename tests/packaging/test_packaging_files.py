"""Fast checks of the packaging files (issue 7): the .deb layout built from a stand-in
bundle, icons, desktop entry, service unit, and the names the installers share.

The real PyInstaller build is in test_packaging_bundle.py (slow). No __init__.py here on
purpose: a package named `packaging` would shadow the PyPI `packaging` library.
"""

from __future__ import annotations

import configparser
import os
import re
import shutil
import struct
import subprocess
import sys
from pathlib import Path

import pytest

from catalogsync_gui import __version__

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"
RESOURCES = ROOT / "resources"
BUILD_DEB = PACKAGING / "deb" / "build-deb.sh"
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256)
needs_dpkg = pytest.mark.skipif(shutil.which("dpkg-deb") is None, reason="needs dpkg-deb")


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return struct.unpack(">II", data[16:24])


def qt_system_packages() -> set[str]:
    """The Debian packages tools/ensure-system-libs.sh installs for Qt."""
    text = (ROOT / "tools" / "ensure-system-libs.sh").read_text()
    return set(re.findall(r"\[[\w.+-]+\]=([\w.+-]+)", text))


@pytest.fixture
def fake_bundle(tmp_path: Path) -> Path:
    """A stand-in for dist/catalogsync-gui: a launcher and an _internal folder."""
    bundle = tmp_path / "catalogsync-gui"
    (bundle / "_internal").mkdir(parents=True)
    (bundle / "_internal" / "data.txt").write_text("x")
    launcher = bundle / "catalogsync-gui"
    launcher.write_text("#!/bin/sh\necho catalogsync-gui 0.0.0\n")
    launcher.chmod(0o775)  # group-writable on purpose: the package must not keep that
    return bundle


def build_deb(bundle: Path, version: str, out: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, DEB_COMPRESSION="gzip")
    return subprocess.run([str(BUILD_DEB), str(bundle), version, str(out)], capture_output=True,
                          text=True, env=env, timeout=120, check=False)


@needs_dpkg
def test_deb_layout_from_a_stand_in_bundle(fake_bundle: Path, tmp_path: Path):
    result = build_deb(fake_bundle, __version__, tmp_path / "out")
    assert result.returncode == 0, result.stderr
    deb = Path(result.stdout.strip())
    arch = subprocess.run(["dpkg", "--print-architecture"], capture_output=True, text=True,
                          check=True).stdout.strip()
    assert deb == tmp_path / "out" / f"catalogsync-gui_{__version__}_{arch}.deb"

    def field(name: str) -> str:
        return subprocess.run(["dpkg-deb", "-f", str(deb), name], capture_output=True,
                              text=True, check=True).stdout.strip()

    assert field("Package") == "catalogsync-gui"
    assert field("Version") == __version__
    depends = {dep.strip() for dep in field("Depends").split(",")}
    names = {dep.split()[0] for dep in depends}
    assert qt_system_packages() <= names, "Depends must cover what Qt needs on the host"
    glibc = subprocess.run(["getconf", "GNU_LIBC_VERSION"], capture_output=True, text=True,
                           check=True).stdout.split()[1]
    assert f"libc6 (>= {glibc})" in depends
    assert int(field("Installed-Size")) > 0

    listing = subprocess.run(["dpkg-deb", "-c", str(deb)], capture_output=True, text=True,
                             check=True).stdout.splitlines()
    entries = {line.split()[5].removeprefix("."): line for line in listing}
    expected = ["/opt/catalogsync/catalogsync-gui", "/opt/catalogsync/_internal/data.txt",
                "/usr/share/applications/catalogsync-gui.desktop",
                "/usr/share/icons/hicolor/scalable/apps/catalogsync-gui.svg",
                "/usr/lib/systemd/system/catalogsync-headless@.service",
                "/usr/share/doc/catalogsync-gui/install.md",
                "/usr/share/doc/catalogsync-gui/headless-service.md",
                "/usr/share/doc/catalogsync-gui/copyright"]
    expected += [f"/usr/share/icons/hicolor/{n}x{n}/apps/catalogsync-gui.png" for n in PNG_SIZES]
    for path in expected:
        assert path in entries, f"{path} missing from the package"
    assert "/usr/bin/catalogsync-gui -> /opt/catalogsync/catalogsync-gui" in "\n".join(listing)
    for path, line in entries.items():
        mode, owner = line.split()[:2]
        assert owner == "root/root", path
        assert mode[0] == "l" or mode[5] != "w" and mode[8] != "w", f"{path} is group/world writable: {mode}"
    assert entries["/opt/catalogsync/catalogsync-gui"].startswith("-rwxr-xr-x")

    control = tmp_path / "control"
    subprocess.run(["dpkg-deb", "-e", str(deb), str(control)], check=True)
    for script in ("prerm", "postrm"):
        assert os.access(control / script, os.X_OK), f"{script} must be executable"


@needs_dpkg
def test_deb_build_refuses_a_folder_without_launcher(tmp_path: Path):
    (tmp_path / "empty").mkdir()
    result = build_deb(tmp_path / "empty", "1.0.0", tmp_path / "out")
    assert result.returncode == 1
    assert "no launcher" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "out").exists()


@needs_dpkg
def test_deb_build_refuses_a_bad_version(fake_bundle: Path, tmp_path: Path):
    result = build_deb(fake_bundle, "v1 beta", tmp_path / "out")
    assert result.returncode == 1
    assert "not a Debian version" in result.stderr


def test_deb_build_usage_error():
    result = subprocess.run([str(BUILD_DEB)], capture_output=True, text=True, timeout=30,
                            check=False)
    assert result.returncode == 2 and result.stderr.startswith("usage:")


@pytest.mark.parametrize("script", ["build.sh", "deb/build-deb.sh", "deb/check-install.sh"])
def test_shell_scripts_parse(script: str):
    subprocess.run(["bash", "-n", str(PACKAGING / script)], check=True)
    assert os.access(PACKAGING / script, os.X_OK)


@pytest.mark.parametrize("script", ["prerm", "postrm"])
def test_maintainer_scripts_are_posix_sh(script: str):
    path = PACKAGING / "deb" / script
    assert path.read_text().startswith("#!/bin/sh\n")
    subprocess.run(["sh", "-n", str(path)], check=True)


def test_postrm_on_purge_removes_only_service_settings(tmp_path: Path):
    """Run postrm with its system paths redirected into a temp root."""
    text = (PACKAGING / "deb" / "postrm").read_text()
    root = tmp_path / "root"
    wants = root / "etc/systemd/system/multi-user.target.wants"
    wants.mkdir(parents=True)
    (wants / "catalogsync-headless@alice.service").symlink_to("/nowhere")
    (wants / "other.service").write_text("")
    (root / "etc/catalogsync").mkdir(parents=True)
    (root / "etc/catalogsync/headless-alice.env").write_text("CATALOGSYNC_DB=/x.db\n")
    script = tmp_path / "postrm"
    script.write_text(text.replace("/etc/", f"{root}/etc/").replace("/run/", f"{root}/run/"))
    subprocess.run(["sh", str(script), "purge"], check=True)
    assert sorted(p.name for p in wants.iterdir()) == ["other.service"]
    assert not (root / "etc/catalogsync").exists()


def test_icons_have_every_size():
    for size in PNG_SIZES:
        data = (RESOURCES / "icons" / f"catalogsync-gui-{size}.png").read_bytes()
        assert png_size(data) == (size, size)
    assert (RESOURCES / "catalogsync-gui.svg").read_text().lstrip().startswith("<?xml")


def test_ico_holds_png_images_of_each_size():
    data = (RESOURCES / "catalogsync-gui.ico").read_bytes()
    reserved, kind, count = struct.unpack("<HHH", data[:6])
    assert (reserved, kind) == (0, 1)
    sizes = []
    for index in range(count):
        width, _h, _c, _r, _p, _bpp, length, offset = struct.unpack(
            "<BBBBHHII", data[6 + 16 * index:22 + 16 * index])
        real = png_size(data[offset:offset + length])
        assert real[0] == (width or 256)
        sizes.append(real[0])
    assert {16, 32, 48, 256} <= set(sizes)


def test_icns_chunks_are_pngs_of_the_declared_size():
    data = (RESOURCES / "catalogsync-gui.icns").read_bytes()
    assert data[:4] == b"icns" and struct.unpack(">I", data[4:8])[0] == len(data)
    declared = {b"icp4": 16, b"icp5": 32, b"icp6": 64, b"ic07": 128, b"ic08": 256,
                b"ic09": 512, b"ic10": 1024}
    pos, seen = 8, set()
    while pos < len(data):
        kind, length = data[pos:pos + 4], struct.unpack(">I", data[pos + 4:pos + 8])[0]
        assert png_size(data[pos + 8:pos + length]) == (declared[kind],) * 2
        seen.add(kind)
        pos += length
    assert {b"ic07", b"ic08", b"ic09", b"ic10"} <= seen


def test_desktop_entry():
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # keys are case-sensitive
    parser.read(RESOURCES / "catalogsync-gui.desktop")
    entry = parser["Desktop Entry"]
    assert entry["Type"] == "Application" and entry["Name"] == "CatalogSync"
    assert entry["Exec"].split()[0] == "catalogsync-gui"  # the /usr/bin launcher
    assert entry["Icon"] == "catalogsync-gui" and entry["Terminal"] == "false"
    assert entry["Categories"].endswith(";")
    validator = shutil.which("desktop-file-validate")
    if validator:
        result = subprocess.run([validator, str(RESOURCES / "catalogsync-gui.desktop")],
                                capture_output=True, text=True, check=False)
        assert result.returncode == 0, result.stdout + result.stderr


def test_service_unit_runs_headless_as_the_instance_user():
    sections: dict[str, dict[str, str]] = {}
    current = None
    unit = PACKAGING / "systemd" / "catalogsync-headless@.service"
    for line in unit.read_text().splitlines():
        if line.startswith("["):
            current = sections.setdefault(line.strip("[]"), {})
        elif "=" in line and not line.startswith("#") and current is not None:
            key, value = line.split("=", 1)
            current[key] = value
    service = sections["Service"]
    assert service["ExecStart"].startswith("/usr/bin/catalogsync-gui --headless")
    assert service["User"] == "%i"
    assert service["Restart"] == "on-failure" and service["KillSignal"] == "SIGTERM"
    assert service["EnvironmentFile"].startswith("-/etc/catalogsync/")  # optional file
    assert sections["Unit"]["StartLimitIntervalSec"] == "0"
    assert sections["Install"]["WantedBy"] == "multi-user.target"


def test_installers_agree_with_the_spec_on_names():
    """The Inno Setup script starts the windowed twin the spec builds on Windows."""
    spec = (PACKAGING / "catalogsync-gui.spec").read_text()
    iss = (PACKAGING / "windows" / "catalogsync.iss").read_text()
    app_name = re.search(r'^APP_NAME = "(\w+)"', spec, re.MULTILINE).group(1)
    exe_name = re.search(r'^EXE_NAME = "([\w-]+)"', spec, re.MULTILINE).group(1)
    assert f"{{app}}\\{app_name}.exe" in iss
    assert f"dist\\{exe_name}" in iss
    icon = re.search(r"^SetupIconFile=(.+)$", iss, re.MULTILINE).group(1).strip()
    assert (PACKAGING / "windows" / icon.replace("\\", "/")).resolve().is_file()
    assert "PrivilegesRequiredOverridesAllowed=dialog commandline" in iss
    assert 'collect_submodules("catalogsync_gui")' in spec and '"musicdl"' in spec


class _Recorder:
    """Stands in for one PyInstaller build class and records how the spec called it."""

    def __init__(self, kind: str, calls: list[tuple[str, tuple, dict]]) -> None:
        self.kind, self.calls = kind, calls

    def __call__(self, *args, **kwargs):
        self.calls.append((self.kind, args, kwargs))
        return type(self.kind, (), {"pure": [], "scripts": [], "binaries": [], "datas": []})()


@pytest.fixture
def run_spec(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    """Execute the spec as PyInstaller would on `platform`, with the build steps recorded.

    Catches mistakes in the Windows and macOS branches, which cannot be built here."""
    import types

    def run(platform: str) -> dict[str, list[dict]]:
        calls: list[tuple[str, tuple, dict]] = []
        hooks = types.ModuleType("PyInstaller.utils.hooks")
        hooks.collect_submodules = lambda package: [f"{package}.cli", f"{package}.runner.x"]
        hooks.copy_metadata = lambda name: [(f"/site/{name}.dist-info", f"{name}.dist-info")]
        hooks.collect_data_files = lambda package, includes=(): [
            (f"/site/{package}/{pattern}", f"{package}/{pattern.rsplit('/', 1)[0]}")
            for pattern in includes]
        versioninfo = types.ModuleType("PyInstaller.utils.win32.versioninfo")
        for name in ("VSVersionInfo", "FixedFileInfo", "StringFileInfo", "StringTable",
                     "StringStruct", "VarFileInfo", "VarStruct"):
            setattr(versioninfo, name, lambda *args, **kwargs: repr((args, kwargs)))
        # Stub PyInstaller whole: the real one is only in the `package` extra, and it
        # inspects sys.platform when imported.
        fakes = {name: types.ModuleType(name)
                 for name in ("PyInstaller", "PyInstaller.utils", "PyInstaller.utils.win32")}
        fakes["PyInstaller.utils.hooks"] = hooks
        fakes["PyInstaller.utils.win32.versioninfo"] = versioninfo
        fakes["PyInstaller.utils.win32"].versioninfo = versioninfo
        for name, module in fakes.items():
            monkeypatch.setitem(sys.modules, name, module)
        monkeypatch.setattr(sys, "platform", platform)
        namespace = {name: _Recorder(name, calls)
                     for name in ("Analysis", "PYZ", "EXE", "COLLECT", "BUNDLE")}
        namespace.update(SPECPATH=str(PACKAGING), workpath=str(tmp_path), __name__="spec")
        spec = PACKAGING / "catalogsync-gui.spec"
        exec(compile(spec.read_text(), str(spec), "exec"), namespace)  # noqa: S102
        monkeypatch.undo()
        steps: dict[str, list[dict]] = {}
        for kind, args, kwargs in calls:
            steps.setdefault(kind, []).append({"args": args, **kwargs})
        return steps

    return run


def test_spec_on_linux_builds_one_stripped_console_launcher(run_spec):
    steps = run_spec("linux")
    analysis = steps["Analysis"][0]
    assert analysis["args"][0] == [str(PACKAGING / "entry.py")]
    assert "catalogsync_gui.runner.x" in analysis["hiddenimports"]
    datas = analysis["datas"]
    assert (str(RESOURCES / "catalogsync-gui.svg"), "resources") in datas
    licences = {dest for _src, dest in datas}
    assert {"PySide6-Essentials.dist-info", "httpx.dist-info", "licenses/python"} <= licences
    assert not [dest for dest in licences if "musicdl" in dest or "pytest" in dest]
    assert "opencc/clib/share/opencc" in licences  # its conversion tables, read at run time
    excludes = set(analysis["excludes"])
    assert {"musicdl", "PyQt5"} <= excludes
    assert not {"PySide6.QtCore", "PySide6.QtGui", "PySide6.QtWidgets"} & excludes
    if (Path(__import__("PySide6").__file__).parent / "QtQml.abi3.so").exists():
        assert "PySide6.QtQml" in excludes
    [exe] = steps["EXE"]
    assert (exe["name"], exe["console"], exe["strip"], exe["icon"]) == (
        "catalogsync-gui", True, True, None)
    assert steps["COLLECT"][0]["name"] == "catalogsync-gui" and "BUNDLE" not in steps


def test_spec_on_windows_adds_a_windowed_twin_with_icon_and_version(run_spec):
    steps = run_spec("win32")
    exes = {exe["name"]: exe for exe in steps["EXE"]}
    assert exes["catalogsync-gui"]["console"] is True
    assert exes["CatalogSync"]["console"] is False
    for exe in exes.values():
        assert Path(exe["icon"]).is_file() and exe["icon"].endswith(".ico")
        assert Path(exe["version"]).is_file() and exe["strip"] is False
    assert __version__ in Path(exes["CatalogSync"]["version"]).read_text()
    assert len(steps["COLLECT"][0]["args"]) == 4  # both launchers share one folder


def test_spec_on_macos_makes_an_app_bundle(run_spec):
    steps = run_spec("darwin")
    [exe] = steps["EXE"]
    assert exe["console"] is False and exe["icon"].endswith(".icns")
    [bundle] = steps["BUNDLE"]
    assert bundle["name"] == "CatalogSync.app" and Path(bundle["icon"]).is_file()
    assert bundle["version"] == __version__
    assert bundle["info_plist"]["CFBundleShortVersionString"] == __version__


def test_pyproject_licence_is_an_spdx_expression():
    """setuptools >= 77 warns twice on every install about a `license = {text = ...}`
    table; an SPDX string (with the setuptools that understands it) builds silently and
    agrees with the licence the .deb declares."""
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert project["project"]["license"] == "MIT"
    assert project["build-system"]["requires"] == ["setuptools>=77"]
    assert "License: MIT" in (PACKAGING / "deb" / "copyright").read_text()

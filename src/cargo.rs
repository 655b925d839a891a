//! Cargo workspaces: which files `cargo lvlint` lints, which it only reads for the index, and
//! the package and target each finding belongs to in cargo's JSON messages.
//!
//! The package list comes from `cargo metadata --no-deps`, run with `$CARGO` when cargo set it,
//! so packages are selected exactly as cargo selects them and lvlint never parses a manifest.
//! `--check-first` runs `cargo check` or `cargo clippy` with the same selection.

use std::collections::HashSet;
use std::ffi::OsString;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use cargo_metadata::{MetadataCommand, TargetKind};
use serde::Deserialize;

use crate::cli::{CheckCommand, Cli, MessageFormat};
use crate::engine::Input;
use crate::walk;

/// The package-selection flags, as cargo has them.
#[derive(Clone, Copy, Debug)]
pub struct Selection<'a> {
    pub workspace: bool,
    pub packages: &'a [String],
    pub exclude: &'a [String],
    pub manifest_path: Option<&'a Path>,
}

impl<'a> Selection<'a> {
    pub fn from_cli(cli: &'a Cli) -> Selection<'a> {
        Selection {
            workspace: cli.workspace,
            packages: &cli.packages,
            exclude: &cli.exclude,
            manifest_path: cli.manifest_path.as_deref(),
        }
    }

    /// Whether any selection flag was given (they make a plain `lvlint` ask cargo too).
    pub fn is_given(&self) -> bool {
        self.workspace || !self.packages.is_empty() || self.manifest_path.is_some()
    }

    /// The same selection as cargo arguments, for `--check-first`.
    fn cargo_args(&self) -> Vec<OsString> {
        let mut args: Vec<OsString> = Vec::new();
        if self.workspace {
            args.push("--workspace".into());
        }
        for name in self.packages {
            args.extend(["--package".into(), name.into()]);
        }
        for name in self.exclude {
            args.extend(["--exclude".into(), name.into()]);
        }
        if let Some(path) = self.manifest_path {
            args.extend(["--manifest-path".into(), path.into()]);
        }
        args
    }
}

/// A setup failure: the whole message, ready for standard error.
#[derive(Debug, PartialEq, Eq)]
pub struct CargoError(pub String);

impl std::fmt::Display for CargoError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// One workspace member.
#[derive(Debug)]
pub struct Member {
    pub name: String,
    pub id: String,
    pub manifest_path: PathBuf,
    /// The directory holding the manifest.
    pub dir: PathBuf,
    pub targets: Vec<Target>,
    /// Whether its findings are reported; the files of the others are read for the index only.
    pub selected: bool,
}

/// One target of a member (lib, bin, test, example, bench, build script).
#[derive(Debug)]
pub struct Target {
    /// The target as `cargo metadata` described it, repeated verbatim in JSON messages.
    pub json: serde_json::Value,
    /// What lvlint walks for it: the directory of its root file, or the root file alone when
    /// that sits in the package directory itself (`build.rs`), which holds other packages too.
    pub walk_root: PathBuf,
    pub is_lib: bool,
}

/// The packages of a run: a cargo workspace, or one synthetic package for explicit paths.
#[derive(Debug)]
pub struct Workspace {
    pub root: PathBuf,
    pub members: Vec<Member>,
    /// Where relative paths are resolved from (the current directory).
    base: PathBuf,
    /// What cargo would only warn about (an `--exclude` that names no member).
    pub warnings: Vec<String>,
}

impl Workspace {
    /// Asks `cargo metadata` for the workspace at `cwd` (or `--manifest-path`) and marks the
    /// members `selection` picks.
    pub fn load(selection: &Selection<'_>, cwd: &Path) -> Result<Workspace, CargoError> {
        let mut command = MetadataCommand::new();
        command.no_deps().current_dir(cwd);
        if let Some(cargo) = std::env::var_os("CARGO") {
            command.cargo_path(cargo);
        }
        if let Some(path) = selection.manifest_path {
            command.manifest_path(path);
        }
        let metadata = command.exec().map_err(metadata_error)?;

        let members: Vec<Member> = metadata.workspace_packages().into_iter().map(member).collect();
        let default_ids: Vec<String> = if metadata.workspace_default_members.is_available() {
            metadata.workspace_default_packages().iter().map(|p| p.id.repr.clone()).collect()
        } else {
            Vec::new()
        };
        let mut workspace = Workspace {
            root: metadata.workspace_root.into_std_path_buf(),
            members,
            base: cwd.to_path_buf(),
            warnings: Vec::new(),
        };
        let current = current_manifest(selection.manifest_path, cwd);
        workspace.select(selection, current.as_deref(), &default_ids)?;
        Ok(workspace)
    }

    /// One made-up package holding every file, for explicit paths without cargo: JSON
    /// messages still need a package id and a target to parse.
    pub fn synthetic(cwd: &Path) -> Workspace {
        let src_path = cwd.join("src").join("lib.rs");
        let json = serde_json::json!({
            "kind": ["lib"],
            "crate_types": ["lib"],
            "name": SYNTHETIC_NAME,
            "src_path": src_path.to_string_lossy(),
            "edition": "2021",
            "doc": false,
            "doctest": false,
            "test": false,
        });
        let member = Member {
            name: SYNTHETIC_NAME.to_owned(),
            id: format!("path+file://{}#{SYNTHETIC_NAME}@0.0.0", cwd.to_string_lossy()),
            manifest_path: cwd.join("Cargo.toml"),
            dir: cwd.to_path_buf(),
            targets: vec![Target { json, walk_root: cwd.to_path_buf(), is_lib: true }],
            selected: true,
        };
        Workspace {
            root: cwd.to_path_buf(),
            members: vec![member],
            base: cwd.to_path_buf(),
            warnings: Vec::new(),
        }
    }

    fn select(
        &mut self,
        selection: &Selection<'_>,
        current: Option<&Path>,
        default_ids: &[String],
    ) -> Result<(), CargoError> {
        // FIXME: `-p` and `--exclude` match plain package names only; cargo also takes specs
        // (`name@1.2.0`, `path+file://..`) and glob patterns — matching `PackageId` specs and
        // globs here would close the gap.
        for name in selection.packages.iter().chain(selection.exclude) {
            if self.members.iter().any(|m| &m.name == name) {
                continue;
            }
            let message = format!(
                "package `{name}` is not a member of the workspace at `{}` (members: {})",
                self.root.display(),
                self.members.iter().map(|m| m.name.as_str()).collect::<Vec<_>>().join(", ")
            );
            if selection.packages.contains(name) {
                return Err(CargoError(format!("error: {message}")));
            }
            self.warnings.push(format!("warning: excluded {message}"));
        }

        let current_member = current.and_then(|manifest| {
            let manifest = canonical(manifest);
            self.members.iter().position(|m| canonical(&m.manifest_path) == manifest)
        });
        for (idx, member) in self.members.iter_mut().enumerate() {
            member.selected = if selection.workspace {
                !selection.exclude.contains(&member.name)
            } else if !selection.packages.is_empty() {
                selection.packages.contains(&member.name)
            } else if let Some(current) = current_member {
                idx == current
            } else if !default_ids.is_empty() {
                // A virtual manifest: its default members, or all of them (cargo's rule).
                default_ids.contains(&member.id)
            } else {
                true
            };
        }
        Ok(())
    }

    /// Every file of every member, each marked reported or index-only, plus the directories
    /// the walk could not read. Files are listed once, under the member that owns them.
    pub fn inputs(&self, cwd: Option<&Path>) -> (Vec<Input>, Vec<(PathBuf, String)>) {
        let mut seen: HashSet<PathBuf> = HashSet::new();
        let mut inputs = Vec::new();
        let mut unreadable = Vec::new();
        for member in &self.members {
            for target in &member.targets {
                // A root that does not exist (a target cargo lists but nobody wrote yet) has
                // nothing to lint; the other roots still do.
                let Ok(found) = walk::discover(std::slice::from_ref(&target.walk_root)) else {
                    continue;
                };
                for item in found {
                    match item {
                        walk::Found::File(path) => {
                            if !seen.insert(path.clone()) {
                                continue;
                            }
                            let report = self.owner(&path).is_some_and(|m| m.selected);
                            let display = walk::display_path(&path, cwd);
                            inputs.push(Input { path, display, text: None, report });
                        }
                        walk::Found::Unreadable { path, reason } => {
                            unreadable.push((path, reason));
                        }
                    }
                }
            }
        }
        (inputs, unreadable)
    }

    /// The member whose directory is the deepest one holding `path`.
    pub fn owner(&self, path: &Path) -> Option<&Member> {
        let path = self.absolute(path);
        self.members
            .iter()
            .filter(|m| path.starts_with(&m.dir))
            .max_by_key(|m| m.dir.components().count())
    }

    /// The member and target a finding in `path` is reported under: the target whose walk
    /// root holds the file most closely (the lib target on a tie), else the member's lib
    /// target, else its first. Files outside every member go under the first member.
    pub fn origin(&self, path: &Path) -> Option<(&Member, &Target)> {
        let member = self.owner(path).or_else(|| self.members.first())?;
        let path = self.absolute(path);
        let holding = member
            .targets
            .iter()
            .filter(|t| path.starts_with(&t.walk_root))
            .max_by_key(|t| (t.walk_root.components().count(), t.is_lib));
        let target = holding
            .or_else(|| member.targets.iter().find(|t| t.is_lib))
            .or_else(|| member.targets.first())?;
        Some((member, target))
    }

    /// `path` relative to the workspace root with `/` separators, as rustc names files; a
    /// path outside the root stays absolute.
    pub fn relative(&self, path: &Path) -> String {
        let path = self.absolute(path);
        let shown = path.strip_prefix(&self.root).unwrap_or(&path);
        shown.to_string_lossy().replace('\\', "/")
    }

    fn absolute(&self, path: &Path) -> PathBuf {
        if path.is_absolute() { path.to_path_buf() } else { self.base.join(path) }
    }
}

const SYNTHETIC_NAME: &str = "lvlint-paths";

fn member(package: &cargo_metadata::Package) -> Member {
    let manifest_path = package.manifest_path.clone().into_std_path_buf();
    let dir = manifest_path.parent().map(Path::to_path_buf).unwrap_or_default();
    let targets = package
        .targets
        .iter()
        .map(|target| {
            let src_path = target.src_path.clone().into_std_path_buf();
            let parent = src_path.parent().map(Path::to_path_buf).unwrap_or_default();
            let walk_root =
                if target.is_custom_build() || parent == dir { src_path } else { parent };
            let is_lib = target.kind.iter().any(|kind| {
                matches!(
                    kind,
                    TargetKind::Lib
                        | TargetKind::RLib
                        | TargetKind::DyLib
                        | TargetKind::CDyLib
                        | TargetKind::StaticLib
                        | TargetKind::ProcMacro
                )
            });
            let json = serde_json::to_value(target).unwrap_or(serde_json::Value::Null);
            Target { json, walk_root, is_lib }
        })
        .collect();
    Member {
        name: package.name.to_string(),
        id: package.id.repr.clone(),
        manifest_path,
        dir,
        targets,
        selected: false,
    }
}

/// Cargo's own words when it cannot read a manifest; lvlint adds nothing to them.
fn metadata_error(err: cargo_metadata::Error) -> CargoError {
    match err {
        cargo_metadata::Error::CargoMetadata { stderr } => CargoError(stderr.trim_end().to_owned()),
        cargo_metadata::Error::Io(io_err) => CargoError(format!(
            "error: could not run `{} metadata`: {io_err}",
            cargo_program().to_string_lossy()
        )),
        other => CargoError(format!("error: `cargo metadata` gave no usable answer: {other}")),
    }
}

/// The manifest cargo starts from: `--manifest-path`, else the nearest `Cargo.toml` upwards.
fn current_manifest(manifest_path: Option<&Path>, cwd: &Path) -> Option<PathBuf> {
    if let Some(path) = manifest_path {
        return Some(cwd.join(path));
    }
    cwd.ancestors().map(|dir| dir.join("Cargo.toml")).find(|manifest| manifest.is_file())
}

fn canonical(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

/// The cargo to run: the one that started us (`$CARGO`), else `cargo` from `PATH`.
pub fn cargo_program() -> OsString {
    std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into())
}

#[derive(Deserialize)]
struct Finished {
    reason: String,
}

/// Runs `cargo check`/`cargo clippy` with the same selection and message format, copying its
/// output through, except the `build-finished` line: lvlint writes one at the very end.
/// Returns whether cargo succeeded.
pub fn check_first(
    command: CheckCommand,
    selection: &Selection<'_>,
    format: Option<MessageFormat>,
    extra_args: &[OsString],
    cwd: &Path,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<bool, CargoError> {
    let program = cargo_program();
    let mut cmd = Command::new(&program);
    cmd.arg(command.as_str()).args(selection.cargo_args()).current_dir(cwd);
    if let Some(format) = format {
        cmd.arg(format!("--message-format={}", format.as_str()));
    }
    cmd.args(extra_args);
    cmd.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped());
    let spawned = cmd.spawn().map_err(|io_err| {
        CargoError(format!(
            "error: could not run `{} {}`: {io_err}",
            program.to_string_lossy(),
            command.as_str()
        ))
    })?;
    let mut child = spawned;

    // Standard error is drained on its own thread so that neither pipe can fill and stall
    // cargo while the other is read.
    let stderr_reader = child.stderr.take().map(|mut stderr| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            let _ = stderr.read_to_end(&mut bytes);
            bytes
        })
    });
    let mut copy_result = Ok(());
    if let Some(stdout) = child.stdout.take() {
        copy_result = copy_messages(BufReader::new(stdout), out);
    }
    let status = child.wait();
    if let Some(bytes) = stderr_reader.and_then(|handle| handle.join().ok()) {
        let _ = err.write_all(&bytes);
    }
    if let Err(io_err) = copy_result
        && io_err.kind() != std::io::ErrorKind::BrokenPipe
    {
        return Err(CargoError(format!("error: could not copy cargo's output: {io_err}")));
    }
    let status = status.map_err(|io_err| {
        CargoError(format!("error: `cargo {}` did not finish: {io_err}", command.as_str()))
    })?;
    Ok(status.success())
}

fn copy_messages(reader: impl BufRead, out: &mut dyn Write) -> std::io::Result<()> {
    for line in reader.split(b'\n') {
        let line = line?;
        let is_finished = line.windows(16).any(|w| w == b"\"build-finished\"")
            && serde_json::from_slice::<Finished>(&line)
                .is_ok_and(|msg| msg.reason == "build-finished");
        if is_finished {
            continue;
        }
        out.write_all(&line)?;
        out.write_all(b"\n")?;
    }
    out.flush()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // A test that meets the unexpected should stop right there.
mod tests {
    use super::*;

    fn target(walk_root: &str, is_lib: bool) -> Target {
        Target { json: serde_json::Value::Null, walk_root: walk_root.into(), is_lib }
    }

    fn workspace() -> Workspace {
        let member = |name: &str, dir: &str, targets: Vec<Target>| Member {
            name: name.to_owned(),
            id: format!("{name}-id"),
            manifest_path: PathBuf::from(dir).join("Cargo.toml"),
            dir: dir.into(),
            targets,
            selected: name == "b",
        };
        Workspace {
            root: "/ws".into(),
            members: vec![
                member("root", "/ws", vec![target("/ws/src", true), target("/ws/build.rs", false)]),
                member(
                    "b",
                    "/ws/crates/b",
                    vec![
                        target("/ws/crates/b/src", false),
                        target("/ws/crates/b/src", true),
                        target("/ws/crates/b/tests", false),
                    ],
                ),
            ],
            base: "/ws/crates/b".into(),
            warnings: Vec::new(),
        }
    }

    #[test]
    fn a_nested_member_owns_its_files() {
        let ws = workspace();
        assert_eq!(ws.owner(Path::new("/ws/crates/b/src/lib.rs")).map(|m| &*m.name), Some("b"));
        assert_eq!(ws.owner(Path::new("/ws/src/main.rs")).map(|m| &*m.name), Some("root"));
        assert_eq!(ws.owner(Path::new("src/x.rs")).map(|m| &*m.name), Some("b"));
        assert_eq!(ws.owner(Path::new("/elsewhere/x.rs")).map(|m| &*m.name), None);
    }

    #[test]
    fn origin_prefers_the_closest_target_then_the_lib() {
        let ws = workspace();
        let (member, target) = ws.origin(Path::new("/ws/crates/b/src/util.rs")).unwrap();
        assert_eq!((member.name.as_str(), target.is_lib), ("b", true));
        let (_, target) = ws.origin(Path::new("/ws/crates/b/tests/it.rs")).unwrap();
        assert_eq!(target.walk_root, PathBuf::from("/ws/crates/b/tests"));
        let (_, target) = ws.origin(Path::new("/ws/build.rs")).unwrap();
        assert_eq!(target.walk_root, PathBuf::from("/ws/build.rs"));
        let (member, _) = ws.origin(Path::new("/elsewhere/x.rs")).unwrap();
        assert_eq!(member.name, "root");
    }

    #[test]
    fn relative_names_are_under_the_workspace_root() {
        let ws = workspace();
        assert_eq!(ws.relative(Path::new("src/lib.rs")), "crates/b/src/lib.rs");
        assert_eq!(ws.relative(Path::new("/other/x.rs")), "/other/x.rs");
    }

    #[test]
    fn selection_follows_cargo() {
        fn names(ws: &Workspace) -> Vec<&str> {
            ws.members.iter().filter(|m| m.selected).map(|m| m.name.as_str()).collect()
        }
        let none: [String; 0] = [];
        let b = ["b".to_owned()];
        let pick = |workspace, packages, exclude| Selection {
            workspace,
            packages,
            exclude,
            manifest_path: None,
        };

        let mut ws = workspace();
        ws.select(&pick(true, &none, &b), None, &[]).unwrap();
        assert_eq!(names(&ws), ["root"]);
        ws.select(&pick(false, &b, &none), None, &[]).unwrap();
        assert_eq!(names(&ws), ["b"]);
        ws.select(&pick(false, &none, &none), None, &["b-id".to_owned()]).unwrap();
        assert_eq!(names(&ws), ["b"]);
        ws.select(&pick(false, &none, &none), Some(Path::new("/ws/Cargo.toml")), &[]).unwrap();
        assert_eq!(names(&ws), ["root"]);

        let c = ["c".to_owned()];
        let err = ws.select(&pick(false, &c, &none), None, &[]).unwrap_err();
        assert_eq!(
            err.0,
            "error: package `c` is not a member of the workspace at `/ws` (members: root, b)"
        );
        ws.select(&pick(true, &none, &c), None, &[]).unwrap();
        assert_eq!(ws.warnings.len(), 1);
    }

    #[test]
    fn build_finished_is_held_back_and_the_rest_copied_verbatim() {
        let input = b"{\"reason\":\"compiler-artifact\",\"x\":1}\nnot json \xff\n\
            {\"reason\":\"build-finished\",\"success\":false}\n";
        let mut out = Vec::new();
        copy_messages(&input[..], &mut out).unwrap();
        assert_eq!(out, b"{\"reason\":\"compiler-artifact\",\"x\":1}\nnot json \xff\n");
    }
}

//! File discovery: every `.rs` file under the given paths, skipping `target/`, `.git/` and
//! other hidden directories. Symlinked directories are not followed, so a link loop cannot
//! trap the walk; a symlinked file is linted as the file it points to. A file named directly
//! is always linted; anything that is not a regular file (a FIFO would block a read forever)
//! is reported, never read.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

/// A path given on the command line that cannot be looked at: lvlint cannot run.
#[derive(Debug)]
pub struct MissingPath(pub PathBuf, pub std::io::Error);

impl MissingPath {
    /// The error line for the user: what is wrong with the path and what to do.
    pub fn message(&self) -> String {
        let MissingPath(path, err) = self;
        match err.kind() {
            std::io::ErrorKind::NotFound => format!(
                "error: `{}` does not exist; pass files or directories that do",
                path.display()
            ),
            _ => format!("error: `{}` cannot be read: {err}", path.display()),
        }
    }
}

/// A file found by the walk, or a problem met on the way (an unreadable directory).
#[derive(Debug)]
pub enum Found {
    File(PathBuf),
    Unreadable { path: PathBuf, reason: String },
}

/// Walks `roots` in order; the files of each root come sorted by name.
pub fn discover(roots: &[PathBuf]) -> Result<Vec<Found>, MissingPath> {
    let mut found = Vec::new();
    for root in roots {
        let meta = std::fs::metadata(root).map_err(|err| MissingPath(root.clone(), err))?;
        if meta.is_file() {
            found.push(Found::File(root.clone()));
            continue;
        }
        if !meta.is_dir() {
            found.push(not_regular(root.clone()));
            continue;
        }
        let walker = WalkDir::new(root).follow_links(false).sort_by_file_name();
        let entries =
            walker.into_iter().filter_entry(|entry| entry.depth() == 0 || !is_skipped_dir(entry));
        for entry in entries {
            match entry {
                Ok(entry) if is_rust_file(entry.path()) && !entry.file_type().is_dir() => {
                    found.extend(rust_file(entry));
                }
                Ok(_) => {}
                Err(err) => {
                    let path = err.path().map(Path::to_path_buf).unwrap_or_else(|| root.clone());
                    let reason =
                        err.io_error().map_or_else(|| err.to_string(), ToString::to_string);
                    found.push(Found::Unreadable { path, reason });
                }
            }
        }
    }
    Ok(found)
}

/// A `.rs` entry of the walk: a regular file, a symlink to one, or a problem to report.
fn rust_file(entry: walkdir::DirEntry) -> Option<Found> {
    if entry.file_type().is_file() {
        return Some(Found::File(entry.into_path()));
    }
    if entry.path_is_symlink() {
        return match std::fs::metadata(entry.path()) {
            Ok(meta) if meta.is_file() => Some(Found::File(entry.into_path())),
            // A link to a directory named `*.rs` is not followed, like any directory link.
            Ok(meta) if meta.is_dir() => None,
            Ok(_) => Some(not_regular(entry.into_path())),
            Err(err) => Some(Found::Unreadable {
                path: entry.into_path(),
                reason: format!("a symbolic link that cannot be followed: {err}"),
            }),
        };
    }
    Some(not_regular(entry.into_path()))
}

fn not_regular(path: PathBuf) -> Found {
    let reason = "not a regular file (lvlint does not read FIFOs, sockets or devices)".to_owned();
    Found::Unreadable { path, reason }
}

fn is_skipped_dir(entry: &walkdir::DirEntry) -> bool {
    if !entry.file_type().is_dir() {
        return false;
    }
    let name = entry.file_name().to_string_lossy();
    name == "target" || name.starts_with('.')
}

fn is_rust_file(path: &Path) -> bool {
    path.extension().is_some_and(|ext| ext == "rs")
}

/// How a path is shown: relative to the current directory when it is under it, with `/`.
pub fn display_path(path: &Path, cwd: Option<&Path>) -> String {
    let shown = cwd
        .and_then(|cwd| path.strip_prefix(cwd).ok())
        .filter(|rel| !rel.as_os_str().is_empty())
        .unwrap_or(path);
    let text = shown.to_string_lossy();
    // `\` separates paths on Windows only; elsewhere it is a character of the name.
    let text = if cfg!(windows) { text.replace('\\', "/") } else { text.into_owned() };
    text.strip_prefix("./").map(str::to_owned).unwrap_or(text)
}

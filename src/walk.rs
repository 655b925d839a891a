//! File discovery: every `.rs` file under the given paths, skipping `target/`, `.git/` and
//! other hidden directories. Symlinked directories are not followed, so a link loop cannot
//! trap the walk; a file named directly is always linted.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

/// A path given on the command line that does not exist: lvlint cannot run.
#[derive(Debug)]
pub struct MissingPath(pub PathBuf);

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
        let meta = std::fs::metadata(root).map_err(|_| MissingPath(root.clone()))?;
        if meta.is_file() {
            found.push(Found::File(root.clone()));
            continue;
        }
        let walker = WalkDir::new(root).follow_links(false).sort_by_file_name();
        let entries =
            walker.into_iter().filter_entry(|entry| entry.depth() == 0 || !is_skipped_dir(entry));
        for entry in entries {
            match entry {
                Ok(entry) if entry.file_type().is_file() && is_rust_file(entry.path()) => {
                    found.push(Found::File(entry.into_path()));
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
    let text = shown.to_string_lossy().replace('\\', "/");
    text.strip_prefix("./").map(str::to_owned).unwrap_or(text)
}

//! Paths as CI services want them: relative to the repository root with forward slashes, and
//! as percent-encoded URI references for SARIF.

use std::path::{Component, Path, PathBuf};

use crate::source::SourceFile;

/// Where repository-relative paths are measured from.
#[derive(Clone, Debug, Default)]
pub struct RepoRoot {
    /// The working directory, which relative file paths are joined to.
    cwd: Option<PathBuf>,
    /// The nearest directory at or above `cwd` that holds `.git` (a directory, or the file a
    /// worktree or submodule has).
    root: Option<PathBuf>,
}

impl RepoRoot {
    /// The repository around the current directory.
    pub fn discover() -> RepoRoot {
        let cwd = std::env::current_dir().ok().map(|cwd| normalize(&cwd));
        let root = cwd.as_deref().and_then(|cwd| {
            cwd.ancestors().find(|dir| dir.join(".git").exists()).map(Path::to_path_buf)
        });
        RepoRoot { cwd, root }
    }

    /// A root given outright (tests, or a caller that knows better).
    pub fn new(cwd: PathBuf, root: Option<PathBuf>) -> RepoRoot {
        RepoRoot { cwd: Some(normalize(&cwd)), root: root.map(|root| normalize(&root)) }
    }

    pub fn root(&self) -> Option<&Path> {
        self.root.as_deref()
    }

    /// The path of `file` relative to the repository root, with `/` separators; `None` when
    /// there is no root or the file lies outside it.
    pub fn relative(&self, file: &SourceFile) -> Option<String> {
        let root = self.root.as_deref()?;
        let absolute = self.absolute(file.path());
        let rel = absolute.strip_prefix(root).ok()?;
        let parts: Vec<String> =
            rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
        if parts.is_empty() { None } else { Some(parts.join("/")) }
    }

    /// The path shown in annotations: repository-relative when possible, else as displayed.
    pub fn shown(&self, file: &SourceFile) -> String {
        self.relative(file).unwrap_or_else(|| file.display.clone())
    }

    /// The absolute, lexically normalized path of `path` (no symlinks are resolved: the
    /// repository root was found the same way, so both sides agree).
    pub fn absolute(&self, path: &Path) -> PathBuf {
        match &self.cwd {
            Some(cwd) if path.is_relative() => normalize(&cwd.join(path)),
            _ => normalize(path),
        }
    }
}

/// Drops `.` and resolves `..` without touching the file system.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// Percent-encodes a `/`-separated path for use as a URI reference: unreserved characters,
/// `/` and the sub-delimiters stay; everything else (`%`, space, `#`, `?`, `:`, non-ASCII) is
/// encoded as UTF-8 bytes. `:` is encoded so that a first segment never reads as a scheme.
pub fn encode_uri_path(path: &str) -> String {
    encode(path, false)
}

fn encode(path: &str, keep_colon: bool) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        let keep = byte.is_ascii_alphanumeric()
            || b"-._~/!$&'()*+,;=@".contains(&byte)
            || (keep_colon && byte == b':');
        if keep {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// A `file:` URI for an absolute path, ending in `/` when `dir` is set (SARIF requires that
/// of base URIs).
pub fn file_uri(path: &Path, dir: bool) -> String {
    let text = path.to_string_lossy().replace('\\', "/");
    let mut uri = String::from("file://");
    if !text.starts_with('/') {
        // A Windows path (`C:/x`) needs the third slash that a Unix path brings along.
        uri.push('/');
    }
    // After `file:///` a colon can no longer read as a scheme, so a drive letter keeps it.
    uri.push_str(&encode(&text, true));
    if dir && !uri.ends_with('/') {
        uri.push('/');
    }
    uri
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str) -> SourceFile {
        SourceFile::new(path.into(), path.into(), String::new())
    }

    #[test]
    fn paths_are_relative_to_the_repository_root_not_the_cwd() {
        let repo = RepoRoot::new("/repo/crates/app".into(), Some("/repo".into()));
        assert_eq!(
            repo.relative(&file("./src/main.rs")).as_deref(),
            Some("crates/app/src/main.rs")
        );
        assert_eq!(repo.relative(&file("../lib/src/a.rs")).as_deref(), Some("crates/lib/src/a.rs"));
        assert_eq!(repo.relative(&file("/elsewhere/a.rs")), None);
        assert_eq!(repo.shown(&file("/elsewhere/a.rs")), "/elsewhere/a.rs");
    }

    #[test]
    fn uri_paths_encode_what_a_uri_reserves() {
        assert_eq!(encode_uri_path("src/my file#1?.rs"), "src/my%20file%231%3F.rs");
        assert_eq!(encode_uri_path("a:b/100%/é.rs"), "a%3Ab/100%25/%C3%A9.rs");
        assert_eq!(encode_uri_path("ok-_.~/x+y,z.rs"), "ok-_.~/x+y,z.rs");
    }

    #[test]
    fn file_uris_end_in_a_slash_for_directories() {
        assert_eq!(file_uri(Path::new("/work/my repo"), true), "file:///work/my%20repo/");
        assert_eq!(file_uri(Path::new("C:\\src"), true), "file:///C:/src/");
    }
}

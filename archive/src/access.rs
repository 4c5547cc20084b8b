//! Who may read what the archive creates.
//!
//! The archive holds a company's private conversations, so everything it
//! creates is private to its owner (files 0600, directories 0700), whatever
//! the umask, unless the archive was created for a group (0640, 0750). The
//! mode is given when a path is created, never set after (a file created
//! 0644 and then tightened can be opened by someone else in between), and a
//! temporary file renamed into place keeps the mode it was created with.
//! Nothing here ever makes a path readable by others.
//!
//! On other systems than Unix no mode is set: the archive takes the access
//! rules of the directory it is in, which the administrator must restrict.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// Who may read the archive's files. Chosen when the archive is created and
/// recorded in its journal, so every later run keeps it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Access {
    /// Only the owner: files 0600, directories 0700. The default.
    #[default]
    Owner,
    /// The owner, and the file's group can read: files 0640, directories
    /// 0750. For a compliance team's group.
    Group,
}

impl Access {
    /// The mode of a file the archive creates.
    pub fn file_mode(self) -> u32 {
        match self {
            Access::Owner => 0o600,
            Access::Group => 0o640,
        }
    }

    /// The mode of a directory the archive creates.
    pub fn dir_mode(self) -> u32 {
        match self {
            Access::Owner => 0o700,
            Access::Group => 0o750,
        }
    }

    /// In words, for messages: "private to its owner".
    pub fn describe(self) -> &'static str {
        match self {
            Access::Owner => "private to its owner (files 0600, directories 0700)",
            Access::Group => "readable by its group (files 0640, directories 0750)",
        }
    }

    /// Options for creating a file of this access; set `create`,
    /// `create_new`, `write` or `append` on them as needed.
    pub(crate) fn open_options(self) -> tokio::fs::OpenOptions {
        let mut options = tokio::fs::OpenOptions::new();
        #[cfg(unix)]
        options.mode(self.file_mode());
        options
    }

    /// The same, for blocking code.
    pub(crate) fn std_open_options(self) -> std::fs::OpenOptions {
        #[cfg_attr(not(unix), allow(unused_mut))]
        let mut options = std::fs::OpenOptions::new();
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, self.file_mode());
        options
    }

    /// Gives a file this run created anew, or an earlier one that this run
    /// starts over in (`overwrite`), this access: a file that existed before
    /// keeps its mode when opened.
    pub(crate) fn apply_to(self, file: &std::fs::File) -> std::io::Result<()> {
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            file.set_permissions(std::fs::Permissions::from_mode(self.file_mode()))
        }
        #[cfg(not(unix))]
        {
            let _ = file;
            Ok(())
        }
    }

    /// Creates `dir` and any missing parents with this access.
    pub(crate) async fn create_dir_all(self, dir: &Path) -> std::io::Result<()> {
        self.dir_builder(true).create(dir).await
    }

    /// Creates `dir`, whose parent exists, with this access.
    pub(crate) async fn create_dir(self, dir: &Path) -> std::io::Result<()> {
        self.dir_builder(false).create(dir).await
    }

    /// [`Access::create_dir_all`], for blocking code (the index, the HTML
    /// copy, productions): the same mode.
    #[cfg(feature = "read")]
    pub(crate) fn create_dir_all_blocking(self, dir: &Path) -> std::io::Result<()> {
        let mut builder = std::fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, self.dir_mode());
        builder.create(dir)
    }

    fn dir_builder(self, recursive: bool) -> tokio::fs::DirBuilder {
        let mut builder = tokio::fs::DirBuilder::new();
        builder.recursive(recursive);
        #[cfg(unix)]
        builder.mode(self.dir_mode());
        builder
    }

    /// The permission bits this access never allows: any for others, and
    /// group write always; group read and search unless [`Access::Group`].
    fn forbidden_bits(self) -> u32 {
        match self {
            Access::Owner => 0o077,
            Access::Group => 0o027,
        }
    }
}

/// A path of the archive that more people can read than its access allows.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct LoosePath {
    /// The path.
    pub path: PathBuf,
    /// Its permission bits, such as `0o644`.
    pub mode: u32,
    /// What it should be, such as `0o600`.
    pub wanted: u32,
    /// Whether it is a directory.
    pub is_dir: bool,
}

impl LoosePath {
    /// Whether accounts other than the owner and the group can read it.
    pub fn others_can_read(&self) -> bool {
        self.mode & 0o004 != 0
    }
}

/// The mode `path` should have, if it is looser than `access` allows: its
/// current bits with the forbidden ones taken away. `None` when it is fine,
/// is a symlink (never followed, never changed) or cannot be read.
pub(crate) fn looser_than(path: &Path, access: Access) -> Option<LoosePath> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let metadata = std::fs::symlink_metadata(path).ok()?;
        if metadata.file_type().is_symlink() {
            return None;
        }
        let mode = metadata.permissions().mode() & 0o7777;
        let extra = mode & access.forbidden_bits();
        (extra != 0).then(|| LoosePath {
            path: path.to_path_buf(),
            mode,
            wanted: mode & !access.forbidden_bits(),
            is_dir: metadata.is_dir(),
        })
    }
    #[cfg(not(unix))]
    {
        let _ = (path, access);
        None
    }
}

/// Takes the forbidden bits off one path found loose. Never follows a link:
/// the mode is set on what was opened, and only if that is the very file the
/// path names without following links (the same device and inode), so that
/// a path swapped for a link at any moment changes nothing outside.
pub(crate) fn tighten(loose: &LoosePath) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{MetadataExt, PermissionsExt};
        let opened = std::fs::File::open(&loose.path)?;
        let (handle, named) = (opened.metadata()?, std::fs::symlink_metadata(&loose.path)?);
        if named.file_type().is_symlink() || handle.dev() != named.dev() || handle.ino() != named.ino() {
            return Ok(());
        }
        opened.set_permissions(std::fs::Permissions::from_mode(loose.wanted))
    }
    #[cfg(not(unix))]
    {
        let _ = loose;
        Ok(())
    }
}

/// The paths of an archive that more people can read than its access
/// allows, in order: the output and the files beside it, the files
/// directory, and everything under `file_folders` (the folders the files
/// index lists: only what the archive put there, never another file a
/// shared directory holds). One `lstat` per path, never following a link.
pub(crate) fn loose_paths(
    access: Access,
    companions: &[PathBuf],
    files_dir: Option<&Path>,
    file_folders: &[PathBuf],
) -> std::io::Result<Vec<LoosePath>> {
    let mut paths: Vec<PathBuf> = companions.to_vec();
    if let Some(dir) = files_dir {
        paths.push(dir.to_path_buf());
    }
    for folder in file_folders {
        paths.push(folder.clone());
        walk(folder, &mut paths)?;
    }
    let mut seen = std::collections::HashSet::new();
    paths.retain(|path| seen.insert(path.clone()));
    Ok(paths.iter().filter_map(|path| looser_than(path, access)).collect())
}

/// Everything under `dir`, depth first, without following links.
fn walk(dir: &Path, paths: &mut Vec<PathBuf>) -> std::io::Result<()> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e),
    };
    let mut children: Vec<PathBuf> = entries.map(|entry| entry.map(|e| e.path())).collect::<Result<_, _>>()?;
    children.sort();
    for child in children {
        let is_dir = std::fs::symlink_metadata(&child).is_ok_and(|m| m.is_dir());
        paths.push(child.clone());
        if is_dir {
            walk(&child, paths)?;
        }
    }
    Ok(())
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn mode(path: &Path) -> u32 {
        std::fs::symlink_metadata(path).unwrap().permissions().mode() & 0o7777
    }

    #[tokio::test]
    async fn creation_sets_the_mode_whatever_is_asked_of_the_umask() {
        let dir = std::env::temp_dir().join(format!("zoom-access-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        Access::Owner.create_dir_all(&dir.join("a/b")).await.unwrap();
        assert_eq!(mode(&dir.join("a")), 0o700);
        assert_eq!(mode(&dir.join("a/b")), 0o700);
        let file = dir.join("a/b/f");
        Access::Owner
            .open_options()
            .write(true)
            .create_new(true)
            .open(&file)
            .await
            .unwrap();
        assert_eq!(mode(&file), 0o600);
        let group = dir.join("a/g");
        Access::Group.create_dir(&group).await.unwrap();
        // The umask may take bits away, never add them.
        assert_eq!(mode(&group) & !0o750, 0);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn loose_paths_are_found_and_tightened_and_links_are_left_alone() {
        let dir = std::env::temp_dir().join(format!("zoom-access-loose-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("chat.jsonl");
        std::fs::write(&file, b"{}\n").unwrap();
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
        let loose = looser_than(&file, Access::Owner).unwrap();
        assert_eq!((loose.mode, loose.wanted, loose.is_dir), (0o644, 0o600, false));
        assert!(loose.others_can_read());
        // A group archive allows group read, never others.
        assert_eq!(looser_than(&file, Access::Group).unwrap().wanted, 0o640);
        tighten(&loose).unwrap();
        assert_eq!(mode(&file), 0o600);
        assert_eq!(looser_than(&file, Access::Owner), None);
        let link = dir.join("link");
        std::os::unix::fs::symlink("/etc/hostname", &link).unwrap();
        assert_eq!(looser_than(&link, Access::Owner), None);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}

//! Uploaded files on the local disk: streamed in (never whole in memory) with SHA-256 and size
//! computed on the way, a size limit, content sniffing, safe names; kept byte-for-byte.

use std::path::{Component, Path, PathBuf};

use anyhow::Context;
use futures_util::{Stream, StreamExt};
use sha2::{Digest, Sha256};
use tokio::io::AsyncWriteExt;

use crate::error::{AppError, AppResult, ErrorCode, Oversize};

/// Bytes kept from the start of a file to sniff its type.
const SNIFF_BYTES: usize = 8192;

/// How much of an oversize upload is read and discarded before answering 413.
const DRAIN_BYTES: usize = 64 * 1024 * 1024;

/// The error for an upload over the limit.
pub fn too_large(max_upload_bytes: u64) -> AppError {
    // Rounded to the nearest MiB, as the limit is configured.
    let mib = (max_upload_bytes + 512 * 1024) / (1024 * 1024);
    AppError::new(ErrorCode::PayloadTooLarge)
        .arg("what", Oversize::File)
        .arg("limit", mib)
}

/// The folder of uploaded files.
#[derive(Debug, Clone)]
pub struct FileStore {
    root: PathBuf,
    max_upload_bytes: u64,
}

/// An upload written to a temporary file, not yet attached to a resource. Dropping it without
/// `FileStore::commit` removes the temporary file.
#[derive(Debug)]
pub struct StagedFile {
    temp_path: PathBuf,
    /// Size in bytes.
    pub size: u64,
    /// SHA-256, lowercase hex.
    pub sha256: String,
    /// MIME type sniffed from the content (falling back to the file name).
    pub mimetype: String,
    /// The uploader's file name, made safe.
    pub file_name: String,
    committed: bool,
}

impl StagedFile {
    /// Whether the file's content begins with `magic` (a file type's signature): the MIME
    /// type above falls back to the file's name, which a renamed file fools.
    pub fn starts_with(&self, magic: &[u8]) -> std::io::Result<bool> {
        use std::io::Read;
        let mut head = Vec::with_capacity(magic.len());
        let file = std::fs::File::open(&self.temp_path)?;
        file.take(magic.len() as u64).read_to_end(&mut head)?;
        Ok(head == magic)
    }
}

impl Drop for StagedFile {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_file(&self.temp_path);
        }
    }
}

/// An upload in its final place whose database record is not yet committed. Dropping it
/// without [`PlacedFile::keep`] removes the file.
#[derive(Debug)]
pub struct PlacedFile {
    path: PathBuf,
    /// The storage key to record.
    pub key: String,
    /// Size in bytes.
    pub size: u64,
    /// SHA-256, lowercase hex.
    pub sha256: String,
    /// MIME type sniffed from the content.
    pub mimetype: String,
    /// The uploader's file name, made safe.
    pub file_name: String,
    kept: bool,
}

impl PlacedFile {
    /// The record of this file is committed: keep it.
    pub fn keep(mut self) {
        self.kept = true;
    }
}

impl Drop for PlacedFile {
    fn drop(&mut self) {
        if !self.kept {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

impl FileStore {
    /// A store rooted at `root`, refusing uploads over `max_upload_bytes`.
    pub fn new(root: PathBuf, max_upload_bytes: u64) -> anyhow::Result<FileStore> {
        std::fs::create_dir_all(root.join("tmp"))
            .with_context(|| format!("creating the file store at {}", root.display()))?;
        Ok(FileStore {
            root,
            max_upload_bytes,
        })
    }

    /// The configured size limit.
    pub fn max_upload_bytes(&self) -> u64 {
        self.max_upload_bytes
    }

    /// Streams an upload to a temporary file, hashing and measuring it on the way.
    pub async fn stage<S, B, E>(&self, original_name: &str, mut body: S) -> AppResult<StagedFile>
    where
        S: Stream<Item = Result<B, E>> + Unpin,
        B: AsRef<[u8]>,
        E: std::fmt::Display,
    {
        let temp_path = self.root.join("tmp").join(crate::db::new_id());
        let mut staged = StagedFile {
            temp_path,
            size: 0,
            sha256: String::new(),
            mimetype: String::new(),
            file_name: safe_file_name(original_name),
            committed: false,
        };
        let mut file = tokio::fs::File::create(&staged.temp_path)
            .await
            .with_context(|| format!("creating {}", staged.temp_path.display()))?;
        let mut hasher = Sha256::new();
        let mut head: Vec<u8> = Vec::with_capacity(SNIFF_BYTES);
        while let Some(chunk) = body.next().await {
            let chunk = chunk.map_err(|e| {
                AppError::new(ErrorCode::UploadInterrupted).arg("detail", e.to_string())
            })?;
            let bytes = chunk.as_ref();
            staged.size += bytes.len() as u64;
            if staged.size > self.max_upload_bytes {
                // Read on (discarding) for a while so the client finishes sending and sees
                // the 413 instead of a reset connection.
                let mut drained = 0usize;
                while let Some(Ok(rest)) = body.next().await {
                    drained += rest.as_ref().len();
                    if drained > DRAIN_BYTES {
                        break;
                    }
                }
                return Err(too_large(self.max_upload_bytes));
            }
            if head.len() < SNIFF_BYTES {
                let take = (SNIFF_BYTES - head.len()).min(bytes.len());
                head.extend_from_slice(&bytes[..take]);
            }
            hasher.update(bytes);
            file.write_all(bytes)
                .await
                .context("writing an upload to disk")?;
        }
        file.flush().await.context("flushing an upload")?;
        file.sync_all().await.context("syncing an upload")?;
        staged.sha256 = hex::encode(hasher.finalize());
        staged.mimetype = sniff_mimetype(&head, &staged.file_name);
        Ok(staged)
    }

    /// Moves a staged upload to a place of its own for `resource_id`, before the database
    /// write that records it: the returned [`PlacedFile`] removes the file again unless
    /// [`PlacedFile::keep`] is called once that write has committed, so a failed write leaves
    /// nothing behind (a crash in between leaves an orphan that [`FileStore::sweep`] removes).
    pub fn place(&self, mut staged: StagedFile, resource_id: &str) -> AppResult<PlacedFile> {
        // Keys are built only from parts the portal made: the resource id (checked to be one
        // of ours), a fresh id for this upload (so a new version never overwrites the file an
        // earlier one recorded) and the sanitised file name.
        if !is_safe_key_part(resource_id) {
            return Err(AppError::Internal(anyhow::anyhow!(
                "refusing to store an upload for the resource id {resource_id:?}"
            )));
        }
        // Shard by the id's last characters: its first ones are a timestamp.
        let shard = resource_id
            .char_indices()
            .rev()
            .nth(1)
            .map_or(resource_id, |(at, _)| &resource_id[at..]);
        let key = format!(
            "{shard}/{resource_id}/{}/{}",
            crate::db::new_id(),
            staged.file_name
        );
        let target = self.path_of(&key).ok_or_else(|| {
            AppError::Internal(anyhow::anyhow!("refusing the storage key {key:?}"))
        })?;
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("creating {}", parent.display()))?;
        }
        std::fs::rename(&staged.temp_path, &target)
            .with_context(|| format!("moving an upload to {}", target.display()))?;
        staged.committed = true;
        Ok(PlacedFile {
            path: target,
            key,
            size: staged.size,
            sha256: std::mem::take(&mut staged.sha256),
            mimetype: std::mem::take(&mut staged.mimetype),
            file_name: std::mem::take(&mut staged.file_name),
            kept: false,
        })
    }

    /// Removes what crashes and failed writes left behind: every temporary upload, and stored
    /// files that no record names (`referenced` holds the storage keys of all resources, in any
    /// state). Files younger than `grace` are left alone: another process sharing the store
    /// may be between placing a file and committing its record.
    pub fn sweep(
        &self,
        referenced: &std::collections::HashSet<String>,
        grace: std::time::Duration,
    ) -> anyhow::Result<SweepReport> {
        let mut report = SweepReport::default();
        let mut files = Vec::new();
        list_files(&self.root, &mut files)?;
        for path in files {
            let Ok(relative) = path.strip_prefix(&self.root) else {
                continue;
            };
            let key = relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            let temporary = key.starts_with("tmp/");
            if !temporary && referenced.contains(&key) {
                continue;
            }
            let age = std::fs::metadata(&path)
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| t.elapsed().ok())
                .unwrap_or_default();
            if age < grace {
                continue;
            }
            std::fs::remove_file(&path).with_context(|| format!("removing {}", path.display()))?;
            if temporary {
                report.temporary += 1;
            } else {
                report.orphans += 1;
            }
        }
        remove_empty_folders(&self.root)?;
        std::fs::create_dir_all(self.root.join("tmp")).context("recreating the tmp folder")?;
        Ok(report)
    }

    /// The file for a storage key, refusing keys that would leave the store.
    pub fn path_of(&self, key: &str) -> Option<PathBuf> {
        let relative = Path::new(key);
        relative
            .components()
            .all(|c| matches!(c, Component::Normal(_)))
            .then(|| self.root.join(relative))
    }
}

/// True when `part` can be one folder name of a storage key: no separators, no dots (so
/// never `.` or `..`), no control characters, not empty. New resource ids are UUIDs of ours;
/// this also holds for the ids of rows stored before that rule (start-up re-keys any other).
pub fn is_safe_key_part(part: &str) -> bool {
    !part.is_empty()
        && part.len() <= 100
        && part
            .chars()
            .all(|c| !matches!(c, '/' | '\\' | '.') && !c.is_control())
}

/// What [`FileStore::sweep`] removed.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct SweepReport {
    /// Temporary uploads of interrupted requests.
    pub temporary: usize,
    /// Stored files no resource names.
    pub orphans: usize,
}

/// Every file under `folder`, at any depth (keys are four folders deep at most).
fn list_files(folder: &Path, out: &mut Vec<PathBuf>) -> anyhow::Result<()> {
    for entry in
        std::fs::read_dir(folder).with_context(|| format!("listing {}", folder.display()))?
    {
        let entry = entry?;
        let kind = entry.file_type()?;
        if kind.is_dir() {
            list_files(&entry.path(), out)?;
        } else if kind.is_file() {
            out.push(entry.path());
        }
    }
    Ok(())
}

/// Removes empty folders under `folder` (not `folder` itself).
fn remove_empty_folders(folder: &Path) -> anyhow::Result<()> {
    for entry in std::fs::read_dir(folder)? {
        let entry = entry?;
        if entry.file_type()?.is_dir() {
            remove_empty_folders(&entry.path())?;
            // Fails while the folder holds something: then it stays, as it should.
            let _ = std::fs::remove_dir(entry.path());
        }
    }
    Ok(())
}

/// A file name safe to store and to send back: no folders, no control characters, no leading
/// dots, at most 200 characters; never empty.
pub fn safe_file_name(original: &str) -> String {
    let base = original.rsplit(['/', '\\']).next().unwrap_or_default();
    // Bidirectional controls make `x\u{202e}gpj.exe` show as `xexe.jpg`: they go too.
    let base: String = base.chars().filter(|c| !is_bidi_control(*c)).collect();
    let cleaned = sanitize_filename::sanitize(crate::text::nfc(&base));
    let cleaned = cleaned.trim().trim_start_matches('.').trim();
    let mut name: String = cleaned.chars().take(200).collect();
    if name.is_empty() {
        name = "file".to_owned();
    }
    name
}

/// Unicode's bidirectional formatting characters (embeddings, overrides, isolates, marks).
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{200e}' | '\u{200f}' | '\u{061c}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// The MIME type from the content's magic bytes, else from the name's extension.
fn sniff_mimetype(head: &[u8], file_name: &str) -> String {
    if let Some(kind) = infer::get(head) {
        // ZIP containers: the extension tells XLSX/DOCX/SHP bundles apart better than magic.
        if kind.mime_type() != "application/zip" {
            return kind.mime_type().to_owned();
        }
    }
    mime_guess::from_path(file_name)
        .first()
        .map(|m| m.essence_str().to_owned())
        .unwrap_or_else(|| {
            if std::str::from_utf8(head).is_ok() {
                "text/plain".to_owned()
            } else {
                "application/octet-stream".to_owned()
            }
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_lose_folders_and_dots() {
        assert_eq!(safe_file_name("../../etc/passwd"), "passwd");
        assert_eq!(safe_file_name("..\\..\\boot.ini"), "boot.ini");
        assert_eq!(safe_file_name(".."), "file");
        assert_eq!(safe_file_name("giá đất 2025.csv"), "giá đất 2025.csv");
        assert_eq!(safe_file_name("x\u{202e}gpj.exe"), "xgpj.exe");
        assert_eq!(safe_file_name("\u{2067}a.csv\u{2069}"), "a.csv");
    }

    #[test]
    fn keys_cannot_escape_the_store() {
        let store = FileStore {
            root: PathBuf::from("/srv/files"),
            max_upload_bytes: 1,
        };
        assert!(store.path_of("../secret").is_none());
        assert!(store.path_of("/etc/passwd").is_none());
        assert!(store.path_of("ab/abcd/file.csv").is_some());
    }
}

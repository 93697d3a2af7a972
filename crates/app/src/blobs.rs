//! Content-addressed attachment store in the data directory: each blob lives at
//! `<root>/<first 2 hex>/<sha256 hex>`, written atomically and never rewritten.

use sha2::{Digest, Sha256};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// Files stored by the SHA-256 of their content.
#[derive(Clone, Debug)]
pub struct BlobStore {
    root: PathBuf,
}

impl BlobStore {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self { root: root.into() }
    }

    /// Stores bytes under `root/<first 2 hex>/<sha256 hex>`; returns the hex digest. Writes a
    /// temp file in the same dir, fsyncs, renames (atomic; an existing blob is left as is).
    pub async fn put(&self, bytes: &[u8]) -> io::Result<String> {
        let root = self.root.clone();
        let bytes = bytes.to_vec();
        // Hashing and writing up to hundreds of MiB: off the async workers.
        tokio::task::spawn_blocking(move || put_blocking(&root, &bytes))
            .await
            .map_err(io::Error::other)?
    }

    /// Reads a blob; an id that is not 64 lowercase hex chars is `NotFound` (no path
    /// traversal).
    pub async fn get(&self, sha256: &str) -> io::Result<Vec<u8>> {
        let path = self.path(sha256).ok_or(io::ErrorKind::NotFound)?;
        tokio::fs::read(path).await
    }

    /// Stores a received file whose SHA-256 is `sha256` by moving it into place (it must be
    /// on the same file system: the data dir's `tmp`); returns the digest.
    pub async fn put_file(&self, temp: &Path, sha256: &str) -> io::Result<String> {
        if !is_digest(sha256) {
            return Err(io::Error::other("not a SHA-256 digest"));
        }
        let path = blob_path(&self.root, sha256);
        let dir = path.parent().unwrap_or(&self.root).to_owned();
        tokio::fs::create_dir_all(&dir).await?;
        if tokio::fs::try_exists(&path).await? {
            return Ok(sha256.to_owned());
        }
        tokio::fs::File::open(temp).await?.sync_all().await?;
        tokio::fs::rename(temp, &path).await?;
        tokio::task::spawn_blocking(move || sync_dir(&dir))
            .await
            .map_err(io::Error::other)??;
        Ok(sha256.to_owned())
    }

    /// Opens a blob for reading (streamed to the client).
    pub async fn open(&self, sha256: &str) -> io::Result<tokio::fs::File> {
        let path = self.path(sha256).ok_or(io::ErrorKind::NotFound)?;
        tokio::fs::File::open(path).await
    }

    /// Whether a blob with this digest is stored.
    pub fn has(&self, sha256: &str) -> bool {
        self.path(sha256).is_some_and(|p| p.is_file())
    }

    /// Every stored blob: (digest, path), sorted by digest. Temporary files are left out.
    pub fn all(&self) -> io::Result<Vec<(String, PathBuf)>> {
        let mut found = Vec::new();
        let dirs = match std::fs::read_dir(&self.root) {
            Ok(dirs) => dirs,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(found),
            Err(e) => return Err(e),
        };
        for dir in dirs {
            let dir = dir?;
            if !dir.file_type()?.is_dir() {
                continue;
            }
            for file in std::fs::read_dir(dir.path())? {
                let file = file?;
                let name = file.file_name().to_string_lossy().into_owned();
                if is_digest(&name) && file.file_type()?.is_file() {
                    found.push((name, file.path()));
                }
            }
        }
        found.sort();
        Ok(found)
    }

    /// Removes temporary files a crash left behind (a blob being written, a restore).
    pub fn clean_temporaries(&self) -> io::Result<usize> {
        let mut removed = 0;
        let Ok(dirs) = std::fs::read_dir(&self.root) else {
            return Ok(0);
        };
        for dir in dirs.flatten() {
            let Ok(files) = std::fs::read_dir(dir.path()) else {
                continue;
            };
            for file in files.flatten() {
                if file.file_name().to_string_lossy().ends_with(".tmp") {
                    std::fs::remove_file(file.path())?;
                    removed += 1;
                }
            }
        }
        Ok(removed)
    }

    fn path(&self, sha256: &str) -> Option<PathBuf> {
        is_digest(sha256).then(|| blob_path(&self.root, sha256))
    }
}

fn is_digest(id: &str) -> bool {
    id.len() == 64 && id.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

fn blob_path(root: &Path, digest: &str) -> PathBuf {
    root.join(&digest[..2]).join(digest)
}

fn put_blocking(root: &Path, bytes: &[u8]) -> io::Result<String> {
    let digest = hex::encode(Sha256::digest(bytes));
    let path = blob_path(root, &digest);
    if path.try_exists()? {
        return Ok(digest);
    }
    let dir = path.parent().unwrap_or(root);
    std::fs::create_dir_all(dir)?;
    // Unique per process and call; `create_new` refuses a leftover of the same name.
    static NEXT_TEMP: AtomicU64 = AtomicU64::new(0);
    let n = NEXT_TEMP.fetch_add(1, Ordering::Relaxed);
    let temp = dir.join(format!(".{digest}.{}-{n}.tmp", std::process::id()));
    let written = (|| {
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        drop(file);
        // Another writer may have stored the same content meanwhile: same bytes, keep theirs.
        if path.try_exists()? {
            std::fs::remove_file(&temp)?;
            return Ok(());
        }
        std::fs::rename(&temp, &path)?;
        sync_dir(dir)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    written.map(|()| digest)
}

/// Makes the rename durable (Unix; elsewhere the rename is all we can do).
fn sync_dir(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    std::fs::File::open(dir)?.sync_all()?;
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const HELLO_SHA256: &str = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824";

    #[tokio::test]
    async fn put_then_get_round_trips() {
        let dir = tempfile::tempdir().unwrap();
        let store = BlobStore::new(dir.path());
        let id = store.put(b"hello").await.unwrap();
        assert_eq!(id, HELLO_SHA256);
        let on_disk = dir.path().join("2c").join(HELLO_SHA256);
        assert_eq!(std::fs::read(&on_disk).unwrap(), b"hello");
        assert_eq!(store.get(&id).await.unwrap(), b"hello");
        // No temp file is left behind.
        let names: Vec<_> = std::fs::read_dir(dir.path().join("2c"))
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, [std::ffi::OsString::from(HELLO_SHA256)]);

        let empty = store.put(b"").await.unwrap();
        assert_eq!(store.get(&empty).await.unwrap(), b"");
    }

    #[tokio::test]
    async fn an_existing_blob_is_left_as_is() {
        let dir = tempfile::tempdir().unwrap();
        let store = BlobStore::new(dir.path().join("blobs"));
        let id = store.put(b"hello").await.unwrap();
        let path = dir.path().join("blobs").join("2c").join(&id);
        // Mark the stored file so a rewrite would show.
        std::fs::write(&path, b"marker").unwrap();
        assert_eq!(store.put(b"hello").await.unwrap(), id);
        assert_eq!(std::fs::read(&path).unwrap(), b"marker");
    }

    #[tokio::test]
    async fn concurrent_puts_of_the_same_content_agree() {
        let dir = tempfile::tempdir().unwrap();
        let store = BlobStore::new(dir.path());
        let data = vec![7u8; 256 * 1024];
        let (a, b) = tokio::join!(store.put(&data), store.put(&data));
        assert_eq!(a.unwrap(), b.unwrap());
        let id = hex::encode(Sha256::digest(&data));
        assert_eq!(store.get(&id).await.unwrap(), data);
    }

    #[tokio::test]
    async fn bad_or_unknown_ids_are_not_found() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("secret"), b"x").unwrap();
        let store = BlobStore::new(dir.path().join("blobs"));
        store.put(b"hello").await.unwrap();
        for id in [
            "",
            "../secret",
            "..",
            "2c",
            &HELLO_SHA256.to_uppercase(),
            &HELLO_SHA256[..63],
            &format!("{HELLO_SHA256}0"),
            &format!("../{}", &HELLO_SHA256[3..]),
            &format!("{}/..", &HELLO_SHA256[..61]),
            "zz24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824",
        ] {
            let err = store.get(id).await.unwrap_err();
            assert_eq!(err.kind(), io::ErrorKind::NotFound, "{id:?}");
        }
        let missing = "0".repeat(64);
        let err = store.get(&missing).await.unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::NotFound);
    }
}

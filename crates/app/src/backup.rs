//! `xiaoan backup` and `xiaoan restore`: one tar archive holding the database (every
//! table as JSON lines, read in one snapshot while the server runs; sign-in sessions left
//! out), every stored file, and a manifest with counts and SHA-256 digests. The same
//! archive restores into an empty SQLite or PostgreSQL database. The audit key is never
//! in it: keep the key apart.

use crate::App;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use store::{Db, TableDump};

/// The archive format this version writes and reads.
pub const FORMAT: &str = "xiaoan-backup-1";

/// What an archive holds, written last into it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Manifest {
    pub format: String,
    pub created_at: String,
    pub backend: String,
    pub migrations: Vec<String>,
    pub tables: Vec<TableDump>,
    pub files: u64,
    pub file_bytes: u64,
    /// Each audit chain's head at the snapshot: (chain, seq, MAC).
    pub audit_heads: Vec<(String, i64, String)>,
}

/// What a backup or restore did.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    pub tables: usize,
    pub rows: u64,
    pub files: u64,
    pub bytes: u64,
}

fn io(context: &str) -> impl FnOnce(std::io::Error) -> String + '_ {
    move |e| format!("{context}: {e}")
}

/// Writes the archive `target` (which must not exist): first to `target.partial`, renamed
/// when complete, so a failed backup never leaves a file that looks whole.
pub async fn write(
    app: &App,
    target: &Path,
    progress: &mut impl FnMut(&str),
) -> Result<Summary, String> {
    if target.exists() {
        return Err(format!(
            "{} exists already: choose a new file name",
            target.display()
        ));
    }
    let partial = with_suffix(target, ".partial");
    let scratch = with_suffix(target, ".table");
    let result = write_archive(app, &partial, &scratch, progress).await;
    let _ = std::fs::remove_file(&scratch);
    match result {
        Ok(summary) => {
            std::fs::rename(&partial, target).map_err(io("cannot name the archive"))?;
            Ok(summary)
        }
        Err(e) => {
            let _ = std::fs::remove_file(&partial);
            Err(e)
        }
    }
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(suffix);
    path.with_file_name(name)
}

async fn write_archive(
    app: &App,
    partial: &Path,
    scratch: &Path,
    progress: &mut impl FnMut(&str),
) -> Result<Summary, String> {
    let file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(partial)
        .map_err(io("cannot create the archive"))?;
    let mut tar = tar::Builder::new(std::io::BufWriter::new(file));
    let mut summary = Summary::default();
    let mut snapshot = app.db.snapshot().await.map_err(|e| e.to_string())?;
    let migrations = snapshot.migrations().await.map_err(|e| e.to_string())?;
    let mut dumps = Vec::new();
    for table in store::backed_up_tables() {
        let mut out = std::io::BufWriter::new(
            std::fs::File::create(scratch).map_err(io("cannot write a scratch file"))?,
        );
        let dump = snapshot
            .dump(&table, &mut out)
            .await
            .map_err(|e| format!("{table}: {e}"))?;
        out.flush().map_err(io("scratch file"))?;
        drop(out);
        tar.append_path_with_name(scratch, format!("db/{table}.jsonl"))
            .map_err(io("archive"))?;
        summary.tables += 1;
        summary.rows += dump.rows;
        if dump.rows > 0 {
            progress(&format!("{table}: {} rows", dump.rows));
        }
        dumps.push(dump);
    }
    snapshot.close().await.map_err(|e| e.to_string())?;
    // Files after the snapshot: every file a row refers to was stored before its row
    // committed, so all are here (and perhaps a few newer ones, harmless).
    for (digest, path) in app.blobs.all().map_err(io("file store"))? {
        let size = std::fs::metadata(&path).map_err(io("file store"))?.len();
        tar.append_path_with_name(&path, format!("files/{}/{digest}", &digest[..2]))
            .map_err(io("archive"))?;
        summary.files += 1;
        summary.bytes += size;
        if summary.files % 500 == 0 {
            progress(&format!("{} files", summary.files));
        }
    }
    let heads = app.db.audit_heads().await.map_err(|e| e.to_string())?;
    let manifest = Manifest {
        format: FORMAT.to_owned(),
        created_at: app
            .now()
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap_or_default(),
        backend: format!("{:?}", app.db.backend()).to_lowercase(),
        migrations,
        tables: dumps,
        files: summary.files,
        file_bytes: summary.bytes,
        audit_heads: heads.into_iter().map(|h| (h.chain, h.seq, h.mac)).collect(),
    };
    let json = serde_json::to_vec_pretty(&manifest).map_err(|e| e.to_string())?;
    let mut header = tar::Header::new_gnu();
    header.set_size(json.len() as u64);
    header.set_mode(0o644);
    header.set_cksum();
    tar.append_data(&mut header, "manifest.json", json.as_slice())
        .map_err(io("archive"))?;
    let out = tar.into_inner().map_err(io("archive"))?;
    let file = out.into_inner().map_err(|e| format!("archive: {e}"))?;
    file.sync_all().map_err(io("archive"))?;
    progress(&format!("{} files", summary.files));
    Ok(summary)
}

/// Reads the manifest of an archive.
pub fn manifest(archive: &Path) -> Result<Manifest, String> {
    let file = std::fs::File::open(archive).map_err(io("cannot open the archive"))?;
    let mut tar = tar::Archive::new(std::io::BufReader::new(file));
    for entry in tar.entries().map_err(io("archive"))? {
        let mut entry = entry.map_err(io("archive"))?;
        if entry.path().map_err(io("archive"))?.as_os_str() == "manifest.json" {
            let mut text = Vec::new();
            entry.read_to_end(&mut text).map_err(io("archive"))?;
            let manifest: Manifest =
                serde_json::from_slice(&text).map_err(|e| format!("manifest.json: {e}"))?;
            if manifest.format != FORMAT {
                return Err(format!(
                    "this archive is {:?}; this version reads {FORMAT:?}",
                    manifest.format
                ));
            }
            return Ok(manifest);
        }
    }
    Err("the archive has no manifest.json: it is not a complete xiaoan backup".into())
}

/// Restores `archive` into the empty database `db` and the empty file store `files`,
/// checking every table and file against the manifest. The caller verifies the audit log.
pub async fn restore(
    db: &Db,
    files: &Path,
    archive: &Path,
    progress: &mut impl FnMut(&str),
) -> Result<(Manifest, Summary), String> {
    let manifest = manifest(archive)?;
    let ours: Vec<String> = store::migration_names()
        .iter()
        .map(|m| (*m).to_owned())
        .collect();
    if manifest.migrations != ours {
        return Err(format!(
            "the archive was written by a version with migrations {:?}; this one has {:?}: restore with the version that wrote it, then upgrade",
            manifest.migrations.last(),
            ours.last()
        ));
    }
    if !db.has_no_rows().await.map_err(|e| e.to_string())? {
        return Err("the target database is not empty: restore only into a new database".into());
    }
    if std::fs::read_dir(files).is_ok_and(|mut d| d.next().is_some()) {
        return Err(format!(
            "the target file store {} is not empty: restore only into a new data dir",
            files.display()
        ));
    }
    let mut summary = Summary::default();
    let mut restore = db.restore().await.map_err(|e| e.to_string())?;
    let file = std::fs::File::open(archive).map_err(io("cannot open the archive"))?;
    let mut tar = tar::Archive::new(std::io::BufReader::new(file));
    let mut seen = Vec::new();
    for entry in tar.entries().map_err(io("archive"))? {
        let mut entry = entry.map_err(io("archive"))?;
        let path = entry
            .path()
            .map_err(io("archive"))?
            .to_string_lossy()
            .into_owned();
        if let Some(table) = path
            .strip_prefix("db/")
            .and_then(|p| p.strip_suffix(".jsonl"))
        {
            let mut text = Vec::new();
            entry.read_to_end(&mut text).map_err(io("archive"))?;
            let loaded = restore
                .load(table, &text)
                .await
                .map_err(|e| format!("{table}: {e}"))?;
            let expected = manifest.tables.iter().find(|t| t.name == table);
            if expected != Some(&loaded) {
                return Err(format!(
                    "{table}: {} rows with digest {} do not match the manifest",
                    loaded.rows, loaded.sha256
                ));
            }
            summary.tables += 1;
            summary.rows += loaded.rows;
            if loaded.rows > 0 {
                progress(&format!("{table}: {} rows", loaded.rows));
            }
            seen.push(table.to_owned());
        } else if let Some(name) = path.strip_prefix("files/") {
            let digest = name.rsplit('/').next().unwrap_or_default().to_owned();
            let size = copy_checked(&mut entry, files, &digest)?;
            summary.files += 1;
            summary.bytes += size;
            if summary.files % 500 == 0 {
                progress(&format!("{} files", summary.files));
            }
        }
    }
    if let Some(missing) = manifest.tables.iter().find(|t| !seen.contains(&t.name)) {
        return Err(format!("the archive lacks the table {}", missing.name));
    }
    if summary.files != manifest.files {
        return Err(format!(
            "the archive has {} files; its manifest says {}",
            summary.files, manifest.files
        ));
    }
    restore.commit().await.map_err(|e| e.to_string())?;
    for digest in db.attachment_digests().await.map_err(|e| e.to_string())? {
        if !crate::blobs::BlobStore::new(files).has(&digest) {
            return Err(format!(
                "a record refers to the file {digest}, which the archive lacks"
            ));
        }
    }
    progress(&format!("{} files", summary.files));
    Ok((manifest, summary))
}

/// Copies one archived file into the store, refusing content whose SHA-256 is not its name.
fn copy_checked(entry: &mut impl Read, files: &Path, digest: &str) -> Result<u64, String> {
    if digest.len() != 64 || !digest.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(format!(
            "the archive has a file named {digest:?}, not a digest"
        ));
    }
    let dir = files.join(&digest[..2]);
    std::fs::create_dir_all(&dir).map_err(io("file store"))?;
    let temp = dir.join(format!(".{digest}.restore.tmp"));
    let mut out = std::fs::File::create(&temp).map_err(io("file store"))?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0_u8; 64 * 1024];
    let mut size = 0_u64;
    loop {
        let n = entry.read(&mut buf).map_err(io("archive"))?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
        out.write_all(&buf[..n]).map_err(io("file store"))?;
        size += n as u64;
    }
    out.sync_all().map_err(io("file store"))?;
    if hex::encode(hasher.finalize()) != digest {
        let _ = std::fs::remove_file(&temp);
        return Err(format!(
            "the archived file {digest} does not have that content"
        ));
    }
    std::fs::rename(&temp, dir.join(digest)).map_err(io("file store"))?;
    Ok(size)
}

//! `server backup DIR` and `server restore DIR`: the database and the image store together.
//!
//! A backup is one folder, `DIR/corridor-YYYYmmddTHHMMSSZ/`, holding
//! - `db.dump`: `pg_dump --format=custom` of the database;
//! - `images/`: every object of the image store (local folder or bucket), under its key;
//! - `manifest.json`: when, which migration, the row count of every table and the CME ledger's
//!   sums (read in the very snapshot `pg_dump` dumps, so they describe the dump exactly), and
//!   the size and SHA-256 of the dump and of every image.
//!
//! The dump and the counts share one snapshot (`pg_export_snapshot`), so the backup is one
//! consistent state of the database. Images are copied after it: an image uploaded meanwhile is
//! an extra file nobody refers to, never a reference without its file (images are written before
//! the rows naming them, and a purge deletes rows first). The folder is written under a
//! `.partial` name and renamed when complete, so a folder without that suffix is whole.
//!
//! Restoring checks every checksum first, refuses a database that already has tables or a store
//! that already has objects (unless `--force`), restores in one transaction, puts the images
//! back and compares the row counts with the manifest.

use app::media::store::Media;
use futures_util::StreamExt;
use object_store::{path::Path as Key, ObjectStore, PutPayload};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use sqlx::PgPool;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[derive(Debug, Serialize, Deserialize, PartialEq)]
pub struct Manifest {
    /// Layout version of this folder.
    pub format: u32,
    pub created_at: String,
    pub corridor_version: String,
    /// The last migration applied to the database backed up.
    pub migration: Option<i64>,
    pub database: FileSum,
    /// Rows per table of the `public` schema.
    pub tables: BTreeMap<String, i64>,
    /// The CME ledger's total per credit type, as text (exact decimals).
    pub cme_ledger: BTreeMap<String, String>,
    pub images: Vec<ImageSum>,
}

#[derive(Debug, Serialize, Deserialize, PartialEq)]
pub struct FileSum {
    pub file: String,
    pub bytes: u64,
    pub sha256: String,
}

#[derive(Debug, Serialize, Deserialize, PartialEq)]
pub struct ImageSum {
    pub key: String,
    pub bytes: u64,
    pub sha256: String,
}

const FORMAT: u32 = 1;

/// Writes a new backup folder under `dir` and returns its path.
pub async fn backup(
    pool: &PgPool,
    database_url: &str,
    media: &Media,
    dir: &Path,
) -> Result<PathBuf, String> {
    let stamp = chrono::Utc::now();
    let name = format!("corridor-{}", stamp.format("%Y%m%dT%H%M%SZ"));
    let done = dir.join(&name);
    let partial = dir.join(format!("{name}.partial"));
    if done.exists() {
        return Err(format!("{} already exists", done.display()));
    }
    std::fs::create_dir_all(partial.join("images"))
        .map_err(|e| format!("cannot create {}: {e}", partial.display()))?;

    // One snapshot for the dump and the counts, held open until both are done.
    let mut tx = pool.begin().await.map_err(db)?;
    sqlx::query("set transaction isolation level repeatable read, read only")
        .execute(&mut *tx)
        .await
        .map_err(db)?;
    let snapshot: String = sqlx::query_scalar("select pg_export_snapshot()")
        .fetch_one(&mut *tx)
        .await
        .map_err(db)?;
    let dump = partial.join("db.dump");
    let dump_arg = dump.to_string_lossy().into_owned();
    pg_tool(
        "pg_dump",
        &[
            "--format=custom",
            &format!("--snapshot={snapshot}"),
            "--file",
            &dump_arg,
        ],
        database_url,
    )?;
    let tables = row_counts(&mut tx).await?;
    let cme_ledger = ledger_sums(&mut tx).await?;
    let migration = last_migration(&mut tx).await?;
    tx.commit().await.map_err(db)?;

    let images = copy_out(media.store.as_ref(), &partial.join("images")).await?;
    let manifest = Manifest {
        format: FORMAT,
        created_at: stamp.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        corridor_version: env!("CARGO_PKG_VERSION").to_owned(),
        migration,
        database: FileSum {
            file: "db.dump".into(),
            bytes: file_len(&dump)?,
            sha256: sha256_file(&dump)?,
        },
        tables,
        cme_ledger,
        images,
    };
    let text = serde_json::to_string_pretty(&manifest).expect("a manifest serialises");
    std::fs::write(partial.join("manifest.json"), text + "\n")
        .map_err(|e| format!("cannot write the manifest: {e}"))?;
    std::fs::rename(&partial, &done)
        .map_err(|e| format!("cannot rename {}: {e}", partial.display()))?;
    Ok(done)
}

/// What a restore did.
#[derive(Debug)]
pub struct Restored {
    pub tables: usize,
    pub rows: i64,
    pub images: usize,
}

/// Restores the backup folder `dir` into the configured database and image store.
pub async fn restore(
    pool: &PgPool,
    database_url: &str,
    media: &Media,
    dir: &Path,
    force: bool,
) -> Result<Restored, String> {
    let manifest = read_manifest(dir)?;
    // Everything is checked before anything is changed.
    let dump = dir.join(&manifest.database.file);
    if sha256_file(&dump)? != manifest.database.sha256 {
        return Err(format!("{} does not match its checksum", dump.display()));
    }
    for image in &manifest.images {
        let file = image_file(dir, &image.key)?;
        if sha256_file(&file)? != image.sha256 {
            return Err(format!("{} does not match its checksum", file.display()));
        }
    }
    let tables: i64 =
        sqlx::query_scalar("select count(*) from pg_catalog.pg_tables where schemaname = 'public'")
            .fetch_one(pool)
            .await
            .map_err(db)?;
    if tables > 0 && !force {
        return Err(format!(
            "the database already has {tables} tables; restore into a fresh, empty database \
             (or pass --force to replace what it holds)"
        ));
    }
    let store = media.store.as_ref();
    let occupied = store.list(None).next().await.is_some();
    if occupied && !force {
        return Err("the image store is not empty; restore into a fresh store \
                    (or pass --force to add the backup's images to it)"
            .into());
    }

    let dump_arg = dump.to_string_lossy().into_owned();
    let mut args = vec![
        "--no-owner",
        "--no-privileges",
        "--exit-on-error",
        "--single-transaction",
    ];
    if force && tables > 0 {
        args.extend(["--clean", "--if-exists"]);
    }
    args.push(&dump_arg);
    pg_tool("pg_restore", &args, database_url)?;

    for image in &manifest.images {
        let bytes = std::fs::read(image_file(dir, &image.key)?)
            .map_err(|e| format!("cannot read image {}: {e}", image.key))?;
        store
            .put(&Key::from(image.key.as_str()), PutPayload::from(bytes))
            .await
            .map_err(|e| format!("cannot store image {}: {e}", image.key))?;
    }

    let mut tx = pool.begin().await.map_err(db)?;
    let counts = row_counts(&mut tx).await?;
    tx.commit().await.map_err(db)?;
    if counts != manifest.tables {
        let differ: Vec<String> = manifest
            .tables
            .iter()
            .filter(|(t, n)| counts.get(*t) != Some(n))
            .map(|(t, n)| format!("{t}: {n} in the backup, {:?} restored", counts.get(t)))
            .collect();
        return Err(format!(
            "restored, but row counts differ: {}",
            differ.join("; ")
        ));
    }
    Ok(Restored {
        tables: counts.len(),
        rows: counts.values().sum(),
        images: manifest.images.len(),
    })
}

pub fn read_manifest(dir: &Path) -> Result<Manifest, String> {
    let path = dir.join("manifest.json");
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let manifest: Manifest = serde_json::from_str(&text)
        .map_err(|e| format!("{} is not a Corridor manifest: {e}", path.display()))?;
    if manifest.format != FORMAT {
        return Err(format!(
            "backup format {} is not one this version reads ({FORMAT})",
            manifest.format
        ));
    }
    Ok(manifest)
}

/// An image's file in the backup; a key leading outside the folder is refused.
fn image_file(dir: &Path, key: &str) -> Result<PathBuf, String> {
    if key
        .split('/')
        .any(|part| part.is_empty() || part == "." || part == "..")
    {
        return Err(format!("the manifest names an unsafe image key {key:?}"));
    }
    Ok(dir.join("images").join(key))
}

/// Rows per table of the `public` schema, in the transaction's snapshot.
async fn row_counts(tx: &mut sqlx::PgConnection) -> Result<BTreeMap<String, i64>, String> {
    let names: Vec<String> = sqlx::query_scalar(
        "select tablename::text from pg_catalog.pg_tables where schemaname = 'public' \
         order by tablename",
    )
    .fetch_all(&mut *tx)
    .await
    .map_err(db)?;
    let mut counts = BTreeMap::new();
    for name in names {
        // The name comes from the catalogue and is quoted as an identifier.
        let n: i64 = sqlx::query_scalar(&format!(
            "select count(*) from public.\"{}\"",
            name.replace('"', "\"\"")
        ))
        .fetch_one(&mut *tx)
        .await
        .map_err(db)?;
        counts.insert(name, n);
    }
    Ok(counts)
}

async fn ledger_sums(tx: &mut sqlx::PgConnection) -> Result<BTreeMap<String, String>, String> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "select credit_type::text, sum(amount)::text from cme_ledger group by 1 order by 1",
    )
    .fetch_all(&mut *tx)
    .await
    .map_err(db)?;
    Ok(rows.into_iter().collect())
}

async fn last_migration(tx: &mut sqlx::PgConnection) -> Result<Option<i64>, String> {
    sqlx::query_scalar("select max(version) from _sqlx_migrations where success")
        .fetch_one(&mut *tx)
        .await
        .map_err(db)
}

/// Copies every object of the store under `to`, returning their sizes and checksums.
async fn copy_out(store: &dyn ObjectStore, to: &Path) -> Result<Vec<ImageSum>, String> {
    let mut listing = store.list(None);
    let mut keys = Vec::new();
    while let Some(meta) = listing.next().await {
        keys.push(
            meta.map_err(|e| format!("cannot list the image store: {e}"))?
                .location,
        );
    }
    keys.sort();
    let mut images = Vec::with_capacity(keys.len());
    for key in keys {
        let bytes = store
            .get(&key)
            .await
            .map_err(|e| format!("cannot read image {key}: {e}"))?
            .bytes()
            .await
            .map_err(|e| format!("cannot read image {key}: {e}"))?;
        let file = image_file(to.parent().unwrap_or(to), key.as_ref())?;
        if let Some(parent) = file.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        }
        std::fs::write(&file, &bytes)
            .map_err(|e| format!("cannot write {}: {e}", file.display()))?;
        images.push(ImageSum {
            key: key.to_string(),
            bytes: bytes.len() as u64,
            sha256: hex(&Sha256::digest(&bytes)),
        });
    }
    Ok(images)
}

/// Runs `pg_dump` or `pg_restore` against `database_url`. The password travels in
/// `PGPASSWORD`, not on the command line where `ps` would show it.
fn pg_tool(tool: &str, args: &[&str], database_url: &str) -> Result<(), String> {
    let mut url =
        url::Url::parse(database_url).map_err(|e| format!("DATABASE_URL is not a URL: {e}"))?;
    let password = url.password().map(str::to_owned);
    let _ = url.set_password(None);
    let program = pg_program(tool);
    let mut command = std::process::Command::new(&program);
    command.args(args).arg("--dbname").arg(url.as_str());
    if let Some(password) = password {
        let decoded = url::form_urlencoded::parse(format!("p={password}").as_bytes())
            .next()
            .map(|(_, v)| v.into_owned())
            .unwrap_or(password);
        command.env("PGPASSWORD", decoded);
    }
    let status = command
        .status()
        .map_err(|e| format!("cannot run {}: {e}", program.display()))?;
    if !status.success() {
        return Err(format!("{tool} failed ({status})"));
    }
    Ok(())
}

/// `CORRIDOR_PG_BIN/<tool>` when set, else the tool on `PATH`, else the newest Debian install.
fn pg_program(tool: &str) -> PathBuf {
    if let Some(dir) = std::env::var_os("CORRIDOR_PG_BIN") {
        return PathBuf::from(dir).join(tool);
    }
    let on_path = std::env::var_os("PATH")
        .into_iter()
        .flat_map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .map(|dir| dir.join(tool))
        .find(|p| p.is_file());
    if let Some(path) = on_path {
        return path;
    }
    let mut debian: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path().join("bin").join(tool))
        .filter(|p| p.is_file())
        .collect();
    debian.sort_by_key(|p| {
        p.components()
            .nth(4)
            .and_then(|c| c.as_os_str().to_str()?.parse::<u32>().ok())
    });
    debian.pop().unwrap_or_else(|| PathBuf::from(tool))
}

fn file_len(path: &Path) -> Result<u64, String> {
    std::fs::metadata(path)
        .map(|m| m.len())
        .map_err(|e| format!("cannot read {}: {e}", path.display()))
}

fn sha256_file(path: &Path) -> Result<String, String> {
    let mut file =
        std::fs::File::open(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let mut hasher = Sha256::new();
    std::io::copy(&mut file, &mut hasher)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    Ok(hex(&hasher.finalize()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn db(e: sqlx::Error) -> String {
    format!("database: {e}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn image_keys_stay_inside_the_backup() {
        let dir = Path::new("/backups/corridor-20260101T000000Z");
        assert_eq!(
            image_file(dir, "cases/12/display.webp").unwrap(),
            dir.join("images/cases/12/display.webp")
        );
        for bad in ["../etc/passwd", "cases/../../x", "/abs", "a//b", "./a"] {
            assert!(image_file(dir, bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn checksums_are_lowercase_hex_sha256() {
        assert_eq!(
            hex(&Sha256::digest(b"abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}

use diesel::connection::SimpleConnection;
use diesel::r2d2::{ConnectionManager, CustomizeConnection, Pool};
use diesel::sqlite::SqliteConnection;
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

use crate::errors::AppError;

pub type DbPool = Pool<ConnectionManager<SqliteConnection>>;

/// The migrations in `migrations/`, compiled into the binary and run at start.
pub const MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations");

/// SQLite settings every pooled connection needs: enforced foreign keys, waiting on a locked
/// database instead of failing, and a write-ahead log so readers do not block the writer.
#[derive(Debug)]
struct SqlitePragmas;

impl CustomizeConnection<SqliteConnection, diesel::r2d2::Error> for SqlitePragmas {
    fn on_acquire(&self, conn: &mut SqliteConnection) -> Result<(), diesel::r2d2::Error> {
        conn.batch_execute("PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000; PRAGMA journal_mode = WAL;")
            .map_err(diesel::r2d2::Error::QueryError)
    }
}

pub fn pool(database_url: &str) -> Result<DbPool, AppError> {
    Pool::builder()
        .connection_customizer(Box::new(SqlitePragmas))
        .build(ConnectionManager::<SqliteConnection>::new(database_url))
        .map_err(|e| AppError::Pool(e.to_string()))
}

pub fn run_migrations(pool: &DbPool) -> Result<(), AppError> {
    let mut conn = pool.get()?;
    let applied = conn
        .run_pending_migrations(MIGRATIONS)
        .map_err(|e| AppError::Migration(e.to_string()))?;
    for version in applied {
        log::info!("applied migration {version}");
    }
    Ok(())
}

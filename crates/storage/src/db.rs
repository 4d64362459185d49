//! Connecting to the database chosen by URL: SQLite (the embedded default, tuned for a server)
//! or PostgreSQL (production, several app instances).

use std::path::Path;
use std::time::Duration;

use sea_orm::sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
use std::future::Future;
use std::pin::Pin;

use sea_orm::{
    AccessMode, ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DatabaseTransaction,
    DbBackend, DbErr, ExecResult, IsolationLevel, QueryResult, SqliteTransactionMode, Statement,
    TransactionError, TransactionOptions, TransactionTrait,
};
use sea_orm_migration::MigratorTrait;

use crate::migration::Migrator;
use crate::{StorageError, StorageResult};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A handle to the database. Cheap to clone (a pool inside).
#[derive(Clone, Debug)]
pub struct Db {
    pub conn: DatabaseConnection,
    pub backend: Backend,
    url: String,
}

/// The SQLite file inside a data folder.
pub fn sqlite_path(data_dir: &Path) -> std::path::PathBuf {
    data_dir.join("hoithi.sqlite3")
}

/// The URL used when no `--database-url` is given: an SQLite file in the data folder.
pub fn default_url(data_dir: &Path) -> String {
    format!("sqlite://{}?mode=rwc", sqlite_path(data_dir).display())
}

impl Db {
    /// Connects by URL (`sqlite://…` or `postgres://…`).
    pub async fn connect(url: &str) -> StorageResult<Db> {
        Self::connect_with(url, None).await
    }

    async fn connect_with(url: &str, pool_size: Option<u32>) -> StorageResult<Db> {
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres
        } else {
            return Err(StorageError::Invalid(format!(
                "unsupported database URL (use sqlite:// or postgres://): {url}"
            )));
        };
        let mut opts = ConnectOptions::new(url.to_string());
        opts.sqlx_logging(false)
            .connect_timeout(Duration::from_secs(10))
            .acquire_timeout(Duration::from_secs(30));
        match backend {
            Backend::Sqlite => {
                // WAL lets readers run beside the one writer; busy_timeout makes a writer wait
                // for the lock instead of failing during a submission rush.
                opts.max_connections(pool_size.unwrap_or(8))
                    .min_connections(1);
                opts.map_sqlx_sqlite_opts(|o: SqliteConnectOptions| {
                    o.journal_mode(SqliteJournalMode::Wal)
                        .synchronous(SqliteSynchronous::Normal)
                        .busy_timeout(Duration::from_secs(30))
                        .foreign_keys(true)
                        .create_if_missing(true)
                        .pragma("temp_store", "memory")
                        .pragma("cache_size", "-20000")
                });
            }
            Backend::Postgres => {
                opts.max_connections(pool_size.unwrap_or(20))
                    .min_connections(1);
            }
        }
        let conn = Database::connect(opts).await?;
        Ok(Db {
            conn,
            backend,
            url: url.to_string(),
        })
    }

    /// Creates the data folder if needed and connects to `url`, or to the SQLite default.
    pub async fn open(data_dir: &Path, url: Option<&str>) -> StorageResult<Db> {
        std::fs::create_dir_all(data_dir)?;
        match url {
            Some(url) => Db::connect(url).await,
            None => Db::connect(&default_url(data_dir)).await,
        }
    }

    /// Applies pending migrations. Safe to call at every start, also from several instances:
    /// on PostgreSQL an advisory lock keeps two instances from migrating at once.
    pub async fn migrate(&self) -> StorageResult<()> {
        if self.backend == Backend::Postgres {
            // Session-level advisory locks belong to one connection, so migrate through a
            // dedicated single-connection pool.
            let single = Db::connect_with(&self.url, Some(1)).await?;
            let conn = &single.conn;
            conn.execute_unprepared("SELECT pg_advisory_lock(7320017)")
                .await?;
            let result = Migrator::up(conn, None).await;
            conn.execute_unprepared("SELECT pg_advisory_unlock(7320017)")
                .await?;
            single.conn.close().await?;
            result?;
        } else {
            Migrator::up(&self.conn, None).await?;
        }
        Ok(())
    }

    /// Keeps the query planner's statistics fresh. On SQLite, `PRAGMA optimize` analyzes only
    /// the tables whose size changed a lot since last time (cheap when nothing did);
    /// PostgreSQL's autovacuum does this by itself.
    pub async fn refresh_statistics(&self) -> StorageResult<()> {
        if self.backend == Backend::Sqlite {
            self.conn
                .execute_unprepared("PRAGMA optimize=0x10002")
                .await?;
        }
        Ok(())
    }

    pub fn db_backend(&self) -> DbBackend {
        self.conn.get_database_backend()
    }

    /// The URL this handle connected to.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// A cheap round trip, for health checks.
    pub async fn ping(&self) -> StorageResult<()> {
        self.conn.ping().await?;
        Ok(())
    }
}

/// A connection that repositories can run on: the pool (`Db`, or its `DatabaseConnection`) or
/// an open transaction. A service that changes several rows begins one transaction with
/// [`Db::write`], passes it to every repository call, writes its audit record with it and
/// commits once; a repository function that needs a transaction of its own opens a nested
/// one (a savepoint) on whatever it is given.
pub trait Conn: ConnectionTrait + TransactionTrait + Sync {}
impl<T: ConnectionTrait + TransactionTrait + Sync> Conn for T {}

/// The backend of any connection.
pub fn backend_of<C: ConnectionTrait>(c: &C) -> Backend {
    match c.get_database_backend() {
        DbBackend::Postgres => Backend::Postgres,
        _ => Backend::Sqlite,
    }
}

/// The open transaction of a service action.
pub type Tx = DatabaseTransaction;

/// Commits a service action's transaction.
pub async fn commit(tx: Tx) -> StorageResult<()> {
    Ok(tx.commit().await?)
}

impl Db {
    /// Begins the transaction of one service action. On SQLite it takes the write lock at
    /// once (`BEGIN IMMEDIATE`): a transaction that reads and then writes could otherwise
    /// fail with BUSY when another writer commits in between, whatever the busy timeout.
    pub async fn write(&self) -> StorageResult<Tx> {
        Ok(self.begin_immediate().await?)
    }

    async fn begin_immediate(&self) -> Result<DatabaseTransaction, DbErr> {
        let options = TransactionOptions {
            isolation_level: None,
            access_mode: None,
            sqlite_transaction_mode: match self.backend {
                Backend::Sqlite => Some(SqliteTransactionMode::Immediate),
                Backend::Postgres => None,
            },
        };
        self.conn.begin_with_options(options).await
    }
}

// `Db` is used wherever a connection is expected, so that `repo::x::f(&state.db, …)` and
// `repo::x::f(&txn, …)` read the same.
#[async_trait::async_trait]
impl ConnectionTrait for Db {
    fn get_database_backend(&self) -> DbBackend {
        self.conn.get_database_backend()
    }
    async fn execute_raw(&self, stmt: Statement) -> Result<ExecResult, DbErr> {
        self.conn.execute_raw(stmt).await
    }
    async fn execute_unprepared(&self, sql: &str) -> Result<ExecResult, DbErr> {
        self.conn.execute_unprepared(sql).await
    }
    async fn query_one_raw(&self, stmt: Statement) -> Result<Option<QueryResult>, DbErr> {
        self.conn.query_one_raw(stmt).await
    }
    async fn query_all_raw(&self, stmt: Statement) -> Result<Vec<QueryResult>, DbErr> {
        self.conn.query_all_raw(stmt).await
    }
    fn support_returning(&self) -> bool {
        self.conn.support_returning()
    }
}

#[async_trait::async_trait]
impl TransactionTrait for Db {
    type Transaction = DatabaseTransaction;

    // Repository functions that open their own transaction read and then write, so they too
    // take SQLite's write lock at once (see `write`): a deferred one failed with BUSY when a
    // job committed in between.
    async fn begin(&self) -> Result<DatabaseTransaction, DbErr> {
        self.begin_immediate().await
    }
    async fn begin_with_config(
        &self,
        isolation_level: Option<IsolationLevel>,
        access_mode: Option<AccessMode>,
    ) -> Result<DatabaseTransaction, DbErr> {
        if isolation_level.is_none() && access_mode.is_none() {
            return self.begin_immediate().await;
        }
        self.conn
            .begin_with_config(isolation_level, access_mode)
            .await
    }
    async fn begin_with_options(
        &self,
        options: TransactionOptions,
    ) -> Result<DatabaseTransaction, DbErr> {
        self.conn.begin_with_options(options).await
    }
    async fn transaction<F, T, E>(&self, callback: F) -> Result<T, TransactionError<E>>
    where
        F: for<'c> FnOnce(
                &'c DatabaseTransaction,
            ) -> Pin<Box<dyn Future<Output = Result<T, E>> + Send + 'c>>
            + Send,
        T: Send,
        E: std::fmt::Display + std::fmt::Debug + Send,
    {
        self.conn.transaction(callback).await
    }
    async fn transaction_with_config<F, T, E>(
        &self,
        callback: F,
        isolation_level: Option<IsolationLevel>,
        access_mode: Option<AccessMode>,
    ) -> Result<T, TransactionError<E>>
    where
        F: for<'c> FnOnce(
                &'c DatabaseTransaction,
            ) -> Pin<Box<dyn Future<Output = Result<T, E>> + Send + 'c>>
            + Send,
        T: Send,
        E: std::fmt::Display + std::fmt::Debug + Send,
    {
        self.conn
            .transaction_with_config(callback, isolation_level, access_mode)
            .await
    }
}

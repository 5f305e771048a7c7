//! Starting the real application on port 0 against a fresh database (SQLite file in a temp
//! folder, or a new PostgreSQL database per test) and talking to it over HTTP.

use diesel::connection::SimpleConnection;
use diesel::Connection;
use serde_json::{json, Value};

use dataportal::catalog::{actions, Actor, AppContext};
use dataportal::config::Settings;
use dataportal::startup::Application;

/// Which database a test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Runs one async test body on both backends: `both_backends!(name)` expects `async fn name(b)`.
#[macro_export]
macro_rules! both_backends {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    super::$name($crate::helpers::Backend::Sqlite).await
                }
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    super::$name($crate::helpers::Backend::Postgres).await
                }
            }
        )*
    };
}

/// Server of the PostgreSQL tests (trust auth), overridable for other machines.
pub fn postgres_server() -> String {
    std::env::var("DATAPORTAL_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".to_owned())
}

/// A fresh database URL for the backend (and the PostgreSQL database name to drop later).
pub fn fresh_database(backend: Backend, dir: &std::path::Path) -> (String, Option<String>) {
    match backend {
        Backend::Sqlite => (dir.join("test.db").to_string_lossy().into_owned(), None),
        Backend::Postgres => {
            let name = format!("dp_test_{}", uuid::Uuid::new_v4().simple());
            let mut admin =
                diesel::PgConnection::establish(&format!("{}/postgres", postgres_server()))
                    .expect("PostgreSQL must be reachable for the PostgreSQL half of the suite");
            admin
                .batch_execute(&format!("CREATE DATABASE {name}"))
                .expect("create test database");
            (format!("{}/{name}", postgres_server()), Some(name))
        }
    }
}

/// Drops a PostgreSQL test database, closing what still uses it.
pub fn drop_database(name: &str) {
    if let Ok(mut admin) =
        diesel::PgConnection::establish(&format!("{}/postgres", postgres_server()))
    {
        let _ = admin.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
    }
}

/// A running portal.
pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub catalog: AppContext,
    /// Token of the sysadmin `admin`, created at start.
    pub admin_token: String,
    pub data_dir: std::path::PathBuf,
    pg_database: Option<String>,
    _dir: tempfile::TempDir,
    /// The settings the portal was started with (to open a second process's view).
    pub settings: Settings,
    server: actix_web::dev::ServerHandle,
    running: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self.stop_server();
        if let Some(name) = &self.pg_database {
            drop_database(name);
        }
    }
}

impl TestApp {
    /// Stops the server before its database goes. Its journal follower reads the database
    /// every 2 s on the blocking pool; a read begun after the database is dropped waits out
    /// the pool's 30 s connection timeout, and the test's runtime waits for that read
    /// (measured: PostgreSQL browser tests of 4 s took 34 s every other run). The server's end
    /// aborts the follower.
    fn stop_server(&self) {
        // The stop command goes out when `stop` is called; its future only waits for the end,
        // which Drop cannot await: the server task is polled for instead, on the multi-thread
        // runtime the tests use (a current-thread runtime could not run it meanwhile).
        let _stopping = self.server.stop(false);
        let multi_thread = tokio::runtime::Handle::try_current()
            .is_ok_and(|h| h.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread);
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
        while multi_thread && !self.running.is_finished() && std::time::Instant::now() < deadline {
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
    }
}

/// Settings for a test: test profile, port 0, the given data folder and database.
pub fn test_settings(dir: &std::path::Path, database_url: &str) -> Settings {
    let mut settings = Settings::load_env("test").expect("test settings");
    settings.data_dir = dir.to_path_buf();
    settings.database.url = database_url.to_owned();
    settings.server.bind = "127.0.0.1:0".to_owned();
    settings.storage.max_upload_bytes = 4 * 1024 * 1024;
    settings
}

/// Starts the portal on a fresh database with a sysadmin `admin`.
pub async fn spawn_app(backend: Backend) -> TestApp {
    let dir = tempfile::tempdir().expect("temp dir");
    let (url, pg_database) = fresh_database(backend, dir.path());
    let settings = test_settings(dir.path(), &url);
    spawn_with(settings, backend, pg_database, dir).await
}

/// Starts the portal with explicit settings.
pub async fn spawn_with(
    settings: Settings,
    _backend: Backend,
    pg_database: Option<String>,
    dir: tempfile::TempDir,
) -> TestApp {
    let app = Application::build(&settings).expect("application builds");
    let address = format!("http://127.0.0.1:{}", app.port());
    let catalog = app.catalog().clone();
    let server = app.handle();
    let running = tokio::spawn(app.run_until_stopped());
    let mut test_app = TestApp {
        address,
        client: reqwest::Client::new(),
        catalog,
        admin_token: String::new(),
        data_dir: settings.data_dir.clone(),
        settings: settings.clone(),
        pg_database,
        _dir: dir,
        server,
        running,
    };
    test_app.admin_token = test_app.create_user("admin", true).await;
    test_app
}

/// A call's HTTP status and JSON body.
pub struct Reply {
    pub status: u16,
    pub body: Value,
}

impl Reply {
    /// The `result` of a successful call; panics with the body otherwise.
    pub fn ok(self) -> Value {
        assert_eq!(
            self.status, 200,
            "expected success, got {}: {}",
            self.status, self.body
        );
        assert_eq!(self.body["success"], json!(true));
        self.body["result"].clone()
    }

    /// The `error` object of a failed call with the expected status.
    pub fn err(self, status: u16) -> Value {
        assert_eq!(
            self.status, status,
            "expected {status}, got {}: {}",
            self.status, self.body
        );
        assert_eq!(self.body["success"], json!(false), "{}", self.body);
        self.body["error"].clone()
    }
}

impl TestApp {
    /// Creates a user (through the same action the CLI uses) and returns an API token.
    pub async fn create_user(&self, name: &str, sysadmin: bool) -> String {
        let catalog = self.catalog.clone();
        let name = name.to_owned();
        tokio::task::spawn_blocking(move || {
            let system = Actor::system();
            let user = json!({"name": name, "email": format!("{name}@tayninh.gov.vn"),
                              "password": "mật-khẩu-đủ-dài", "sysadmin": sysadmin});
            actions::call_value(
                &catalog,
                &system,
                "user_create",
                user.as_object().unwrap(),
                None,
            )
            .unwrap();
            let token = actions::call_value(
                &catalog,
                &system,
                "api_token_create",
                json!({"user": name}).as_object().unwrap(),
                None,
            )
            .unwrap();
            token["token"].as_str().unwrap().to_owned()
        })
        .await
        .unwrap()
    }

    /// POSTs a JSON body to an action, with an optional token.
    pub async fn post(&self, action: &str, token: Option<&str>, body: Value) -> Reply {
        let mut request = self
            .client
            .post(format!("{}/api/3/action/{action}", self.address))
            .json(&body);
        if let Some(token) = token {
            request = request.header("Authorization", token);
        }
        reply(request.send().await.expect("request sent")).await
    }

    /// GETs an action with query parameters.
    pub async fn get(&self, action: &str, token: Option<&str>, query: &[(&str, &str)]) -> Reply {
        let mut request = self
            .client
            .get(format!("{}/api/3/action/{action}", self.address))
            .query(query);
        if let Some(token) = token {
            request = request.header("Authorization", token);
        }
        reply(request.send().await.expect("request sent")).await
    }

    /// As the sysadmin.
    pub async fn admin(&self, action: &str, body: Value) -> Reply {
        self.post(action, Some(&self.admin_token.clone()), body)
            .await
    }

    /// Creates an organisation as the sysadmin; returns its dict.
    pub async fn organization(&self, name: &str) -> Value {
        self.admin(
            "organization_create",
            json!({"name": name, "title": format!("Sở {name}")}),
        )
        .await
        .ok()
    }

    /// Adds a user to an organisation with a role.
    pub async fn member(&self, org: &str, user: &str, role: &str) {
        self.admin(
            "organization_member_create",
            json!({"id": org, "username": user, "role": role}),
        )
        .await
        .ok();
    }
}

async fn reply(response: reqwest::Response) -> Reply {
    let status = response.status().as_u16();
    let text = response.text().await.expect("body read");
    let body =
        serde_json::from_str(&text).unwrap_or_else(|_| panic!("not JSON ({status}): {text}"));
    Reply { status, body }
}

/// A realistic dataset dict owned by `org`.
pub fn dataset(name: &str, org: &str) -> Value {
    json!({
        "name": name,
        "title": "Bảng giá đất tỉnh Tây Ninh giai đoạn 2025–2029",
        "notes": "Bảng giá các loại đất áp dụng trên địa bàn tỉnh từ ngày 01/01/2025.",
        "owner_org": org,
        "license_id": "cc-by-4.0",
        "tags": [{"name": "giá đất"}, {"name": "đất đai"}],
        "groups": [{"name": "tai-chinh"}],
        "frequency": "annual",
        "spatial_code": "72",
        "spatial_name": "Tỉnh Tây Ninh",
        "temporal_start": "2025-01-01",
        "temporal_end": "2029-12-31",
        "language": "vi",
        "contact_name": "Phòng Quản lý giá",
        "contact_email": "qlgia@tayninh.gov.vn",
        "contact_phone": "0276 3822 111",
        "title_en": "Land price table of Tay Ninh province 2025-2029",
        "resources": [{"name": "Bảng giá đất (CSV)", "url": "https://data.tayninh.gov.vn/files/bang-gia-dat.csv"}],
    })
}

/// Starts the portal again on a database that already has its sysadmin (a restart after a
/// crash): `admin_token` is the one the first start made.
pub async fn spawn_existing(
    settings: Settings,
    pg_database: Option<String>,
    dir: tempfile::TempDir,
    admin_token: String,
) -> TestApp {
    let app = Application::build(&settings).expect("application builds");
    let address = format!("http://127.0.0.1:{}", app.port());
    let catalog = app.catalog().clone();
    let server = app.handle();
    let running = tokio::spawn(app.run_until_stopped());
    TestApp {
        address,
        client: reqwest::Client::new(),
        catalog,
        admin_token,
        data_dir: settings.data_dir.clone(),
        settings: settings.clone(),
        pg_database,
        _dir: dir,
        server,
        running,
    }
}

//! The `dataportal` command: serve, migrate, demo, user, token, import.

use std::io::{BufRead, BufReader, IsTerminal, Read};
use std::path::PathBuf;

use anyhow::{bail, Context};
use clap::{Parser, Subcommand};
use serde_json::json;

use dataportal::catalog::indexing::lifecycle::open_for_command;
use dataportal::catalog::{actions, Actor, AppContext};
use dataportal::config::Settings;
use dataportal::enums::ObjectState;
use dataportal::startup::{open_context, site_url_for, Application};

mod harvest_cli;

/// Open-data portal of a Vietnamese province (CKAN-compatible API).
#[derive(Parser)]
#[command(name = "dataportal", version)]
struct Cli {
    /// Folder for the SQLite database and uploaded files [default: ./data].
    #[arg(long, global = true, env = "DATAPORTAL_DATA_DIR")]
    data_dir: Option<PathBuf>,
    /// Database URL: postgres://... for PostgreSQL [default: SQLite file in the data folder].
    #[arg(long, global = true, env = "DATAPORTAL_DATABASE_URL")]
    database_url: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Migrate if needed, then serve the portal.
    Serve {
        /// Address to listen on, e.g. 127.0.0.1:8080.
        #[arg(long)]
        bind: Option<String>,
        /// Load the demo catalogue first.
        #[arg(long)]
        demo: bool,
    },
    /// Apply database migrations.
    Migrate,
    /// Load the demo catalogue of Tây Ninh province (idempotent).
    Demo,
    /// Manage accounts.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Manage API tokens.
    Token {
        #[command(subcommand)]
        command: TokenCommand,
    },
    /// Rebuild the search index from the database (stop the server first).
    Reindex,
    /// Import CKAN package dicts, one JSON object per line.
    Import {
        /// The JSON-lines file.
        file: PathBuf,
    },
    /// Harvest sources (pull) and targets (push).
    Harvest {
        #[command(subcommand)]
        command: HarvestCommand,
    },
}

#[derive(Subcommand)]
enum HarvestCommand {
    /// Run a source or a target now (as harvest_job_create) and wait for its end.
    Run {
        /// The source's or target's name.
        name: String,
        /// Print what a push would send and withdraw, without sending anything.
        #[arg(long)]
        dry_run: bool,
    },
    /// List sources and targets with their newest run.
    List,
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create an account; the password is read from standard input.
    Create {
        /// Login name.
        name: String,
        /// E-mail address.
        #[arg(long)]
        email: String,
        /// Display name.
        #[arg(long, default_value = "")]
        fullname: String,
        /// Make the user a site administrator.
        #[arg(long)]
        sysadmin: bool,
    },
    /// Deactivate an account (CKAN's user_delete): its API tokens are revoked and its roles
    /// in organisations removed; the account and its history are kept.
    Deactivate {
        /// Login name.
        name: String,
    },
    /// Re-activate a deactivated account; roles and API tokens must be given again.
    Activate {
        /// Login name.
        name: String,
    },
    /// Set a new password, read from standard input.
    SetPassword {
        /// Login name.
        name: String,
    },
    /// Grant (--on) or withdraw (--off) site administration.
    #[command(group(clap::ArgGroup::new("flag").required(true).args(["on", "off"])))]
    Sysadmin {
        /// Login name.
        name: String,
        /// Make the user a site administrator.
        #[arg(long)]
        on: bool,
        /// Make the user an ordinary user.
        #[arg(long)]
        off: bool,
    },
}

#[derive(Subcommand)]
enum TokenCommand {
    /// Print a new API token for the user, alone on the last line.
    Create {
        /// Login name.
        name: String,
        /// A label for the token.
        #[arg(long, default_value = "cli")]
        label: String,
    },
}

/// mimalloc rather than the system allocator: search and JSON building allocate many small
/// short-lived objects from all worker threads, where glibc's malloc spent a sixth of the time.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,actix_server=warn".into()),
        )
        .with_writer(std::io::stderr)
        // Colour codes only on a terminal: a log file or journald gets plain text.
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
    let cli = Cli::parse();
    let mut settings = Settings::load()?;
    if let Some(dir) = cli.data_dir {
        settings.data_dir = dir;
    }
    if let Some(url) = cli.database_url {
        settings.database.url = url;
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    match cli.command {
        Command::Serve { bind, demo } => {
            if let Some(bind) = bind {
                settings.server.bind = bind;
            }
            actix_web::rt::System::new().block_on(async move {
                let app = Application::build(&settings)?;
                if demo {
                    report_demo(&dataportal::demo::load_demo(app.catalog()).await?);
                }
                tracing::info!(
                    "Cổng dữ liệu đang chạy / portal listening at {}",
                    app.catalog().site_url
                );
                app.run_until_stopped().await.context("serving")
            })
        }
        Command::Migrate => {
            open(&settings)?;
            println!("Đã cập nhật cơ sở dữ liệu / Database is up to date");
            Ok(())
        }
        Command::Demo => {
            let mut ctx = open(&settings)?;
            open_for_command(&settings, &mut ctx)?;
            let report = runtime.block_on(dataportal::demo::load_demo(&ctx))?;
            report_demo(&report);
            Ok(())
        }
        Command::User { command } => user_command(&open(&settings)?, command),
        Command::Token {
            command: TokenCommand::Create { name, label },
        } => {
            let ctx = open(&settings)?;
            let token = call(
                &ctx,
                "api_token_create",
                json!({"user": name, "name": label}),
            )?;
            println!("Khóa API mới, chỉ hiển thị một lần / New API token, shown only once:");
            println!("{}", token["token"].as_str().unwrap_or_default());
            Ok(())
        }
        Command::Reindex => reindex(&settings),
        Command::Import { file } => {
            let mut ctx = open(&settings)?;
            open_for_command(&settings, &mut ctx)?;
            import(&ctx, &file)
        }
        Command::Harvest { command } => {
            let mut ctx = open(&settings)?;
            match command {
                HarvestCommand::List => harvest_cli::list(&ctx),
                HarvestCommand::Run { name, dry_run } => {
                    if !dry_run {
                        open_for_command(&settings, &mut ctx)?;
                    }
                    harvest_cli::run(&ctx, &name, dry_run)
                }
            }
        }
    }
}

/// Every user command goes through the API's own actions, as the system actor.
fn user_command(ctx: &AppContext, command: UserCommand) -> anyhow::Result<()> {
    match command {
        UserCommand::Create {
            name,
            email,
            fullname,
            sysadmin,
        } => {
            let password = read_password()?;
            let dict = json!({"name": name, "email": email, "fullname": fullname,
                              "password": password, "sysadmin": sysadmin});
            let user = call(ctx, "user_create", dict)?;
            println!(
                "Đã tạo người dùng / Created user {} ({})",
                user["name"], user["id"]
            );
        }
        UserCommand::Deactivate { name } => {
            call(ctx, "user_delete", json!({ "id": name }))?;
            println!("Đã vô hiệu hóa / Deactivated {name}");
        }
        UserCommand::Activate { name } => {
            call(
                ctx,
                "user_patch",
                json!({"id": name, "state": ObjectState::Active}),
            )?;
            println!("Đã mở lại / Re-activated {name}");
        }
        UserCommand::SetPassword { name } => {
            let password = read_password()?;
            call(ctx, "user_patch", json!({"id": name, "password": password}))?;
            println!("Đã đổi mật khẩu / Password changed for {name}");
        }
        UserCommand::Sysadmin { name, on, off: _ } => {
            call(ctx, "user_patch", json!({"id": name, "sysadmin": on}))?;
            if on {
                println!("{name} là quản trị hệ thống / {name} is a sysadmin");
            } else {
                println!("{name} không còn là quản trị hệ thống / {name} is no longer a sysadmin");
            }
        }
    }
    Ok(())
}

fn open(settings: &Settings) -> anyhow::Result<AppContext> {
    let port = settings
        .server
        .bind
        .rsplit_once(':')
        .and_then(|(_, p)| p.parse().ok())
        .unwrap_or(8080);
    open_context(settings, &site_url_for(settings, port))
}

fn call(
    ctx: &AppContext,
    action: &str,
    dict: serde_json::Value,
) -> anyhow::Result<serde_json::Value> {
    let dict = dict.as_object().cloned().unwrap_or_default();
    // Both languages, as everything the command line prints; field by field.
    actions::call_value(ctx, &Actor::system(), action, &dict, None).map_err(|e| match e {
        dataportal::error::AppError::Validation(_) => {
            anyhow::anyhow!("{}", dataportal::error::bilingual(&e).join("\n"))
        }
        other => anyhow::Error::new(other),
    })
}

fn read_password() -> anyhow::Result<String> {
    if std::io::stdin().is_terminal() {
        eprint!("Mật khẩu / Password: ");
    }
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .context("reading the password")?;
    let password = line.trim_end_matches(['\r', '\n']).to_owned();
    if password.is_empty() {
        bail!("Cần mật khẩu trên đầu vào chuẩn / A password is required on standard input");
    }
    Ok(password)
}

fn import(ctx: &AppContext, file: &PathBuf) -> anyhow::Result<()> {
    let open = || std::fs::File::open(file).with_context(|| format!("opening {}", file.display()));
    let mut total = 0u64;
    let mut buffer = vec![0u8; 1 << 20];
    let mut counter = open()?;
    loop {
        let n = counter.read(&mut buffer).context("counting lines")?;
        if n == 0 {
            break;
        }
        total += buffer[..n].iter().filter(|b| **b == b'\n').count() as u64;
    }
    let bar = indicatif::ProgressBar::new(total.max(1));
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{spinner} [{elapsed_precise}] {bar:40} {pos}/{len} bộ dữ liệu / datasets ({per_sec}, còn / eta {eta})",
        )
        .context("progress bar template")?,
    );
    let started = std::time::Instant::now();
    let report = dataportal::harvest::import_lines(
        ctx,
        BufReader::with_capacity(1 << 20, open()?),
        dataportal::harvest::OnExisting::Update,
        &|n| bar.inc(n),
    )?;
    bar.finish_and_clear();
    for (line, name, reason) in report.failed.iter().take(50) {
        eprintln!("dòng / line {line} ({name}): {reason}");
    }
    for (line, name, warning) in report.warnings.iter().take(50) {
        eprintln!("cảnh báo / warning, dòng / line {line} ({name}): {warning}");
    }
    if report.failed.len() > 50 {
        eprintln!(
            "... và {} lỗi khác / and {} more failures",
            report.failed.len() - 50,
            report.failed.len() - 50
        );
    }
    println!(
        "Đã nhập / Imported in {:.1} s: tạo mới / created {}, cập nhật / updated {}, lỗi / failed {}",
        started.elapsed().as_secs_f64(),
        report.created,
        report.updated,
        report.failed.len()
    );
    if !report.failed.is_empty() {
        // Scripts and CI must see that the catalogue was not imported whole.
        anyhow::bail!(
            "{} bản ghi không nhập được / {} records were not imported",
            report.failed.len(),
            report.failed.len()
        );
    }
    Ok(())
}

fn reindex(settings: &Settings) -> anyhow::Result<()> {
    let mut ctx = open(settings)?;
    let index = dataportal::catalog::indexing::lifecycle::open_search_index_for_rebuild(settings)
        .context("opening the search index (is the server running? stop it first)")?;
    ctx.search = Some(std::sync::Arc::new(index));
    let bar = indicatif::ProgressBar::new(0);
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{spinner} [{elapsed_precise}] {bar:40} {pos}/{len} bộ dữ liệu / datasets ({per_sec})",
        )
        .context("progress bar template")?,
    );
    let started = std::time::Instant::now();
    let count = dataportal::catalog::indexing::rebuild(&ctx, &|done, total| {
        bar.set_length(total);
        bar.set_position(done);
    })?;
    bar.finish_and_clear();
    println!(
        "Đã lập lại chỉ mục / Reindexed {count} bộ dữ liệu / datasets in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

fn report_demo(report: &dataportal::demo::DemoReport) {
    println!(
        "Dữ liệu mẫu / Demo: {} tổ chức mới / new organizations, {} bộ dữ liệu mới / new datasets, {} lỗi / failed{}",
        report.organizations_created,
        report.datasets.created,
        report.datasets.failed.len(),
        if report.wards_uploaded { ", đã tải lên / uploaded vn-wards-2025.csv" } else { "" }
    );
    for (line, name, reason) in &report.datasets.failed {
        eprintln!("dòng / line {line} ({name}): {reason}");
    }
}

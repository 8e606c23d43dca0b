//! The `samspil` command line.

use std::net::SocketAddr;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};
use samspil::demo::{self, DEMO_PASSWORD, DEMO_TOTP_SECRET, DemoScope};
use samspil_web::WebConfig;
use tracing_subscriber::EnvFilter;

#[derive(Debug, Parser)]
#[command(
    name = "samspil",
    version,
    about = "Coordination of shared IT between the community and the 98 Danish municipalities"
)]
struct Cli {
    /// Log format on standard error.
    #[arg(long, global = true, env = "SAMSPIL_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text)]
    log_format: LogFormat,

    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Migrate the database and serve samspil.
    Serve(ServeArgs),
    /// Like serve, with demo data loaded first (if absent).
    Demo(DemoArgs),
    /// Migrate the database (and the citizen database) and exit.
    Migrate(MigrateArgs),
    /// Bearer tokens for the JSON API.
    Token {
        #[command(subcommand)]
        command: TokenCommand,
    },
    /// The second factor (TOTP) of local accounts.
    Totp {
        #[command(subcommand)]
        command: TotpCommand,
    },
    /// Bring data over from elsewhere.
    Import {
        #[command(subcommand)]
        command: ImportCommand,
    },
    /// The citizen indexes themselves.
    Index {
        #[command(subcommand)]
        command: IndexCommand,
    },
    /// Vendor systems that deliver into the citizen indexes (issue 15).
    Systems {
        #[command(subcommand)]
        command: SystemsCommand,
    },
    /// Run a vendor system's deliveries against the six capabilities of
    /// KOMBIT's compliance test and print the table: a verdict per
    /// capability and overall, with the evidence behind each cell.
    Compliance {
        /// The system's IT-system UUID (or its id, as `systems list`
        /// shows it).
        #[arg(long)]
        system: String,
        #[command(flatten)]
        database: DatabaseArgs,
        #[command(flatten)]
        citizen: CitizenArgs,
    },
    /// Run a scheduled synchronisation once, now.
    Sync {
        #[command(subcommand)]
        command: SyncCommand,
    },
}

#[derive(Debug, Subcommand)]
enum SyncCommand {
    /// Reads a municipality's organisation directory from OS2mo as
    /// configured in [[directory_sync]] (see docs/DIRECTORY_IMPORT.md) and
    /// brings samspil in line with it, like the scheduled sync does.
    Directory {
        /// The municipality's code, e.g. 751 for Aarhus.
        #[arg(long)]
        municipality: String,
        /// Lift the safety net (max_deactivate_percent) for this run, once
        /// you have checked that so many people really left.
        #[arg(long)]
        allow_deactivations: bool,
        /// Configuration file (TOML) with the [[directory_sync]] sections.
        #[arg(long, env = "SAMSPIL_CONFIG")]
        config: std::path::PathBuf,
        #[command(flatten)]
        database: DatabaseArgs,
    },
}

#[derive(Debug, Subcommand)]
enum ImportCommand {
    /// The municipalities' populations: Statistics Denmark's FOLK1A export
    /// (`;`-separated, as downloaded from statistikbanken.dk) or a file
    /// `code,name,population,as_of`; all or nothing; a municipality and day
    /// imported before is replaced.
    Population {
        /// The population file.
        file: std::path::PathBuf,
        #[command(flatten)]
        database: DatabaseArgs,
    },
    /// KL's KLE subject plan (XML, format version 2.0) into the citizen
    /// store: adds and updates subjects, reports what changed; all or
    /// nothing; safe to run again.
    Kle {
        /// The plan file (KLE-Emneplan).
        file: std::path::PathBuf,
        #[command(flatten)]
        database: DatabaseArgs,
        #[command(flatten)]
        citizen: CitizenArgs,
    },
    /// A municipality's organisation directory (JSON Lines, see
    /// docs/DIRECTORY_IMPORT.md): creates, updates and deactivates people
    /// and org units to match it; all or nothing; safe to run again.
    Directory {
        /// The directory file.
        file: std::path::PathBuf,
        /// The municipality's code, e.g. 751 for Aarhus.
        #[arg(long)]
        municipality: String,
        /// The day the directory is read for (YYYY-MM-DD); today by default.
        #[arg(long)]
        as_of: Option<String>,
        #[command(flatten)]
        database: DatabaseArgs,
    },
}

#[derive(Debug, Subcommand)]
enum TokenCommand {
    /// Create a token for a user and print it (only the token, once).
    Create {
        /// The user's login, e.g. admin-751.
        #[arg(long)]
        user: String,
        /// What the token is for.
        #[arg(long, default_value = "command line")]
        label: String,
        /// The token stops working after this many days (1 to 365);
        /// without it, it works until revoked.
        #[arg(long, value_name = "DAYS")]
        expires_in_days: Option<u32>,
        #[command(flatten)]
        database: DatabaseArgs,
    },
    /// List a user's tokens: id, label, created, expires, last used,
    /// state (never the token itself).
    List {
        /// The user's login, e.g. admin-751.
        #[arg(long)]
        user: String,
        #[command(flatten)]
        database: DatabaseArgs,
    },
    /// Revoke a token by the id `token list` shows; the API refuses it
    /// from the next request.
    Revoke {
        /// The token's id.
        #[arg(value_parser = clap::value_parser!(i64).range(1..))]
        id: i64,
        #[command(flatten)]
        database: DatabaseArgs,
    },
}

#[derive(Debug, Subcommand)]
enum IndexCommand {
    /// Removal on system change: delete (physically) every case,
    /// document, grant, payment, claim and appointment a system delivered
    /// for a municipality, in one operation, and end its registration
    /// there; prints the counts.
    Remove {
        /// The system's id, as `systems list` shows it.
        #[arg(long, value_parser = clap::value_parser!(i64).range(1..))]
        system: i64,
        /// The municipality's code, e.g. 751.
        #[arg(long)]
        municipality: String,
        #[command(flatten)]
        database: DatabaseArgs,
        #[command(flatten)]
        citizen: CitizenArgs,
    },
    /// The retention job once (`serve` runs it daily): delete, physically,
    /// every closed case whose KLE subject's deletion period has run since
    /// it closed; prints the counts.
    Retention {
        /// The day to judge by (YYYY-MM-DD); today when left out.
        #[arg(long)]
        today: Option<String>,
        /// Count what is due without deleting anything.
        #[arg(long)]
        dry_run: bool,
        #[command(flatten)]
        database: DatabaseArgs,
        #[command(flatten)]
        citizen: CitizenArgs,
    },
}

#[derive(Debug, Subcommand)]
enum SystemsCommand {
    /// Register a vendor system and print its first credential (only the
    /// credential, once); the municipalities named must approve it on
    /// their page before it delivers for them.
    Add {
        /// Its UUID in Fælleskommunalt Administrationsmodul.
        #[arg(long)]
        it_system_uuid: String,
        #[arg(long)]
        name: String,
        #[arg(long)]
        vendor: String,
        /// case, document, benefit, debt or appointment.
        #[arg(long)]
        kind: String,
        /// strict (the default: a broken rule is refused) or report.
        #[arg(long, default_value = "strict")]
        mode: String,
        /// A municipality it delivers for (its code, e.g. 751); repeat
        /// for more.
        #[arg(long)]
        municipality: Vec<String>,
        /// The first day it delivers for them (YYYY-MM-DD).
        #[arg(long)]
        from: Option<String>,
        #[command(flatten)]
        database: DatabaseArgs,
        #[command(flatten)]
        citizen: CitizenArgs,
    },
    /// List the vendor systems, their municipalities and state.
    List {
        #[command(flatten)]
        database: DatabaseArgs,
        #[command(flatten)]
        citizen: CitizenArgs,
    },
    /// Disable a system: it delivers nothing, its credentials are refused.
    Disable {
        /// The system's id, as `systems list` shows it.
        #[arg(value_parser = clap::value_parser!(i64).range(1..))]
        id: i64,
        #[command(flatten)]
        database: DatabaseArgs,
        #[command(flatten)]
        citizen: CitizenArgs,
    },
    /// Issue a new credential and print it; the ones in use go on working
    /// for the overlap.
    Rotate {
        #[arg(value_parser = clap::value_parser!(i64).range(1..))]
        id: i64,
        /// Hours the credentials in use go on working (0 to 168).
        #[arg(long, default_value_t = samspil_citizen::credential::DEFAULT_OVERLAP_HOURS)]
        overlap_hours: u32,
        #[command(flatten)]
        database: DatabaseArgs,
        #[command(flatten)]
        citizen: CitizenArgs,
    },
}

#[derive(Debug, Subcommand)]
enum TotpCommand {
    /// Remove a person's second factor (e.g. a lost phone); community
    /// staff are asked to set up a new one at their next login.
    Remove {
        /// The user's login, e.g. staff.
        #[arg(long)]
        user: String,
        #[command(flatten)]
        database: DatabaseArgs,
    },
}

#[derive(Debug, Args)]
struct DatabaseArgs {
    /// sqlite://FILE (the default, created if missing) or postgres://USER@HOST/DATABASE.
    #[arg(long, env = "SAMSPIL_DATABASE_URL", default_value = samspil::DEFAULT_DATABASE_URL)]
    database_url: String,
}

/// Where the citizen store is, when not beside the main database.
#[derive(Debug, Args)]
struct CitizenArgs {
    /// The citizen overview's own database: sqlite://FILE or
    /// postgres://USER@HOST/DATABASE (its schema `citizen`). By default
    /// beside the main one: on SQLite the file NAME-citizen.db next to it,
    /// on PostgreSQL the schema `citizen` of the same database.
    #[arg(long, env = "SAMSPIL_CITIZEN_DATABASE_URL")]
    citizen_database_url: Option<String>,
    /// A PostgreSQL read replica of the citizen database (opened and
    /// checked at start).
    #[arg(long, env = "SAMSPIL_CITIZEN_REPLICA_URL")]
    citizen_replica_url: Option<String>,
    /// The secret (at least 32 characters) that parties' CPR numbers in
    /// the citizen store are digested and sealed under. Keep it apart from
    /// the database's backups; without it a fixed development key is used.
    #[arg(long, env = "SAMSPIL_CITIZEN_KEY", hide_env_values = true)]
    citizen_key: Option<String>,
}

impl CitizenArgs {
    fn database(&self) -> samspil::CitizenDatabase {
        samspil::CitizenDatabase {
            url: self.citizen_database_url.clone(),
            replica_url: self.citizen_replica_url.clone(),
            sealing_key: self.citizen_key.clone(),
        }
    }
}

#[derive(Debug, Args)]
struct MigrateArgs {
    #[command(flatten)]
    database: DatabaseArgs,
    #[command(flatten)]
    citizen: CitizenArgs,
}

#[derive(Debug, Args)]
struct ServeArgs {
    /// Address and port to listen on.
    #[arg(long, env = "SAMSPIL_LISTEN", default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// Set when clients reach samspil over HTTPS (directly or through a
    /// proxy): cookies become Secure and HSTS is sent.
    #[arg(long, env = "SAMSPIL_BEHIND_TLS")]
    behind_tls: bool,
    /// A bearer token Prometheus must send to read /metrics; without it
    /// /metrics is open (keep it off the public network then).
    #[arg(long, env = "SAMSPIL_METRICS_TOKEN", hide_env_values = true)]
    metrics_token: Option<String>,
    /// Configuration file (TOML) with what differs per municipality:
    /// identity providers and directory sources. See docs/CONFIGURATION.md.
    #[arg(long, env = "SAMSPIL_CONFIG")]
    config: Option<std::path::PathBuf>,
    /// The address people reach samspil at, e.g. https://samspil.example.dk;
    /// identity providers send people back to it after login.
    #[arg(long, env = "SAMSPIL_PUBLIC_URL")]
    public_url: Option<url::Url>,
    /// Seconds a connection may take to send a request's headers (or sit
    /// idle between requests) before it is closed.
    #[arg(long, env = "SAMSPIL_HEADER_READ_TIMEOUT_SECONDS", default_value_t = samspil::HttpOptions::DEFAULT_HEADER_READ_TIMEOUT.as_secs(), value_parser = clap::value_parser!(u64).range(1..))]
    header_read_timeout_seconds: u64,
    /// Failed logins (passwords and codes) one client address may make per
    /// quarter of an hour, across all logins. Behind a reverse proxy every
    /// client has the proxy's address: raise it there.
    #[arg(long, env = "SAMSPIL_LOGIN_FAILURES_PER_ADDRESS", default_value_t = samspil_domain::throttle::AddressLimit::default().failures, value_parser = clap::value_parser!(u32).range(1..))]
    login_failures_per_address: u32,
    #[command(flatten)]
    database: DatabaseArgs,
    #[command(flatten)]
    citizen: CitizenArgs,
    #[command(flatten)]
    mail: MailArgs,
}

#[derive(Debug, Args)]
struct DemoArgs {
    /// Citizens of the synthetic population the citizen indexes are
    /// loaded with, across the 98 municipalities (0: none).
    #[arg(long, env = "SAMSPIL_DEMO_CITIZENS", default_value_t = 20_000)]
    citizens: usize,
    #[command(flatten)]
    serve: ServeArgs,
}

#[derive(Debug, Args)]
struct MailArgs {
    /// SMTP relay for e-mail, smtp://HOST:PORT; without it e-mails stay queued.
    #[arg(long, env = "SAMSPIL_SMTP_URL")]
    smtp_url: Option<String>,
    /// Sender of samspil's e-mails.
    #[arg(
        long,
        env = "SAMSPIL_MAIL_FROM",
        default_value = "samspil <samspil@localhost>"
    )]
    mail_from: String,
    /// Seconds a worker reserves a delivery it sends (longer than the SMTP timeout).
    #[arg(long, env = "SAMSPIL_MAIL_LEASE_SECONDS", default_value_t = 120)]
    mail_lease_seconds: u64,
    /// Seconds before the first retry of a failed delivery (doubling, at most an hour).
    #[arg(long, env = "SAMSPIL_MAIL_RETRY_SECONDS", default_value_t = 30)]
    mail_retry_seconds: u64,
    /// Seconds between the job runner's rounds.
    #[arg(long, env = "SAMSPIL_MAIL_POLL_SECONDS", default_value_t = 5)]
    mail_poll_seconds: u64,
}

impl MailArgs {
    fn config(&self) -> samspil::outbox::MailConfig {
        use std::time::Duration;
        samspil::outbox::MailConfig {
            smtp_url: self.smtp_url.clone().filter(|url| !url.is_empty()),
            from: self.mail_from.clone(),
            lease: Duration::from_secs(self.mail_lease_seconds.max(2)),
            retry_base: Duration::from_secs(self.mail_retry_seconds.max(1)),
            poll: Duration::from_secs(self.mail_poll_seconds.max(1)),
            ..samspil::outbox::MailConfig::default()
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging(cli.log_format);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("samspil: cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli.command)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            // One sentence: the chain of causes joined on one line.
            eprintln!("samspil: {error:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(command: Command) -> anyhow::Result<()> {
    match command {
        Command::Serve(args) => serve(args, None).await,
        Command::Demo(args) => serve(args.serve, Some(args.citizens)).await,
        Command::Migrate(MigrateArgs { database, citizen }) => {
            let stores = samspil::open_storage(&database.database_url).await?;
            let storage = stores.platform.clone();
            samspil::prepare(storage.as_ref()).await?;
            let citizen_store =
                samspil::open_citizen_storage(&database.database_url, &citizen.database()).await?;
            samspil::prepare_citizen(citizen_store.as_ref()).await?;
            println!(
                "The database at {} is up to date.",
                samspil::redact(&database.database_url)
            );
            Ok(())
        }
        Command::Token {
            command:
                TokenCommand::Create {
                    user,
                    label,
                    expires_in_days,
                    database,
                },
        } => {
            let stores = samspil::open_storage(&database.database_url).await?;
            let storage = stores.platform.clone();
            samspil::prepare(storage.as_ref()).await?;
            let token =
                samspil::api_tokens::create(storage.as_ref(), &user, &label, expires_in_days)
                    .await?;
            println!("{token}");
            Ok(())
        }
        Command::Token {
            command: TokenCommand::List { user, database },
        } => {
            let stores = samspil::open_storage(&database.database_url).await?;
            let storage = stores.platform.clone();
            samspil::prepare(storage.as_ref()).await?;
            println!(
                "{}",
                samspil::api_tokens::list(storage.as_ref(), &user).await?
            );
            Ok(())
        }
        Command::Token {
            command: TokenCommand::Revoke { id, database },
        } => {
            let stores = samspil::open_storage(&database.database_url).await?;
            let storage = stores.platform.clone();
            samspil::prepare(storage.as_ref()).await?;
            println!(
                "{}",
                samspil::api_tokens::revoke(storage.as_ref(), id).await?
            );
            Ok(())
        }
        Command::Systems { command } => systems(command).await,
        Command::Compliance {
            system,
            database,
            citizen,
        } => {
            let stores = samspil::open_storage(&database.database_url).await?;
            samspil::prepare(stores.platform.as_ref()).await?;
            let store =
                samspil::open_citizen_storage(&database.database_url, &citizen.database()).await?;
            samspil::prepare_citizen(store.as_ref()).await?;
            let today = time::OffsetDateTime::now_utc().date();
            println!(
                "{}",
                samspil::systems::compliance(
                    stores.platform.as_ref(),
                    store.as_ref(),
                    &system,
                    today
                )
                .await?
            );
            Ok(())
        }
        Command::Import {
            command:
                ImportCommand::Kle {
                    file,
                    database,
                    citizen,
                },
        } => {
            let store =
                samspil::open_citizen_storage(&database.database_url, &citizen.database()).await?;
            samspil::prepare_citizen(store.as_ref()).await?;
            let report = samspil::kle_import::import_kle_file(store.as_ref(), &file).await?;
            println!(
                "KLE plan imported: {} subjects added, {} changed ({} of them expired since), {} unchanged.",
                report.added, report.changed, report.expired, report.unchanged
            );
            Ok(())
        }
        Command::Index {
            command:
                IndexCommand::Remove {
                    system,
                    municipality,
                    database,
                    citizen,
                },
        } => {
            let store =
                samspil::open_citizen_storage(&database.database_url, &citizen.database()).await?;
            samspil::prepare_citizen(store.as_ref()).await?;
            println!(
                "{}",
                samspil::systems::remove_on_system_change(store.as_ref(), system, &municipality)
                    .await?
            );
            Ok(())
        }
        Command::Index {
            command:
                IndexCommand::Retention {
                    today,
                    dry_run,
                    database,
                    citizen,
                },
        } => {
            let today = day_or_today("--today", today)?;
            let store =
                samspil::open_citizen_storage(&database.database_url, &citizen.database()).await?;
            samspil::prepare_citizen(store.as_ref()).await?;
            println!(
                "{}",
                samspil::systems::apply_retention(store.as_ref(), today, dry_run).await?
            );
            Ok(())
        }
        Command::Totp {
            command: TotpCommand::Remove { user, database },
        } => {
            let stores = samspil::open_storage(&database.database_url).await?;
            let storage = stores.platform.clone();
            samspil::prepare(storage.as_ref()).await?;
            if samspil::remove_second_factor(storage.as_ref(), &user).await? {
                println!("The second factor of {user} is removed.");
            } else {
                println!("{user} has no second factor; nothing changed.");
            }
            Ok(())
        }
        Command::Import {
            command: ImportCommand::Population { file, database },
        } => {
            let stores = samspil::open_storage(&database.database_url).await?;
            samspil::prepare(stores.platform.as_ref()).await?;
            let rows = samspil::population_import::import_population_file(&stores, &file).await?;
            println!("Populations imported: {rows} municipalities and days.");
            Ok(())
        }
        Command::Import {
            command:
                ImportCommand::Directory {
                    file,
                    municipality,
                    as_of,
                    database,
                },
        } => {
            let as_of = day_or_today("--as-of", as_of)?;
            let stores = samspil::open_storage(&database.database_url).await?;
            let storage = stores.platform.clone();
            samspil::prepare(storage.as_ref()).await?;
            let bar = indicatif::ProgressBar::new(0);
            bar.set_style(
                indicatif::ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} lines")
                    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
            );
            bar.set_message("reading");
            let report = samspil::directory_import::import_directory_file(
                storage.as_ref(),
                &file,
                &municipality,
                as_of,
                |done, total| {
                    bar.set_length(total as u64);
                    bar.set_position(done as u64);
                },
            )
            .await;
            bar.finish_and_clear();
            let report = report?;
            print_directory_report(&format!("Directory of {municipality} on {as_of}"), &report);
            // Someone moved here is a change, so this never follows "Nothing changed".
            for login in &report.users_moved {
                println!("  moved here: {login}");
            }
            Ok(())
        }
        Command::Sync {
            command:
                SyncCommand::Directory {
                    municipality,
                    allow_deactivations,
                    config,
                    database,
                },
        } => {
            let config = samspil::config::Config::load(Some(&config))?;
            let stores = samspil::open_storage(&database.database_url).await?;
            let storage = stores.platform.clone();
            samspil::prepare(storage.as_ref()).await?;
            let sync = samspil::directory_sync::DirectorySync::new(storage, &config.directory_sync)
                .await?;
            let report = sync
                .sync_now(&municipality, samspil_storage::now(), allow_deactivations)
                .await?;
            print_directory_report(&format!("Directory of {municipality} from OS2mo"), &report);
            Ok(())
        }
    }
}

/// What an import or a sync of a directory changed, in one sentence.
fn print_directory_report(heading: &str, report: &samspil_storage::DirectoryReport) {
    println!(
        "{heading}: {} people created, {} updated, {} deactivated, {} moved here; {} org units \
         created, {} updated.",
        report.users_created,
        report.users_updated,
        report.users_deactivated,
        report.users_moved.len(),
        report.units_created,
        report.units_updated
    );
    if !report.changed_anything() {
        println!("Nothing changed: samspil already matched the directory.");
    }
}

/// Serves; with `demo` (the synthetic population's size) after loading
/// the demo data.
async fn serve(args: ServeArgs, demo: Option<usize>) -> anyhow::Result<()> {
    let listener = samspil::bind(args.listen).await?;
    let config = samspil::config::Config::load(args.config.as_deref())?;
    let oidc = samspil::oidc_config::web_providers(&config.oidc, args.public_url.as_ref())?;
    let saml = samspil::saml_config::web_providers(&config.saml, args.public_url.as_ref())?;
    let stores = samspil::open_storage(&args.database.database_url).await?;
    let storage = stores.platform.clone();
    let outbox = samspil::outbox::Outbox::new(&stores, args.mail.config())?;
    samspil::prepare(storage.as_ref()).await?;
    let citizen =
        samspil::open_citizen_storage(&args.database.database_url, &args.citizen.database())
            .await?;
    samspil::prepare_citizen(citizen.as_ref()).await?;
    if args
        .citizen
        .citizen_key
        .as_deref()
        .is_none_or(str::is_empty)
    {
        tracing::warn!(
            "no --citizen-key (SAMSPIL_CITIZEN_KEY): parties' CPR numbers are sealed under the development key; set one before real data arrives"
        );
    }
    let directory_sync =
        samspil::directory_sync::DirectorySync::new(storage.clone(), &config.directory_sync)
            .await?;
    if let Some(citizens) = demo {
        let report = demo::load(storage.as_ref(), DemoScope::All).await?;
        tracing::info!(
            users = report.users_created,
            org_units = report.org_units_created,
            "demo people loaded"
        );
        let report = demo::tasks::load(&stores).await?;
        tracing::info!(
            projects = report.projects_created,
            tasks = report.tasks_created,
            "demo tasks loaded"
        );
        let report = demo::roles::load(&stores).await?;
        tracing::info!(
            roles = report.roles_created,
            assignments = report.assignments_created,
            "demo role gallery loaded"
        );
        let report = demo::pipelines::load(&stores).await?;
        tracing::info!(
            pipelines = report.pipelines_created,
            "demo onboarding pipelines loaded"
        );
        let report = demo::meetings::load(stores.coordination.as_ref()).await?;
        tracing::info!(
            meetings = report.meetings_created,
            "demo programme-manager meetings loaded"
        );
        if demo::messages::load(stores.coordination.as_ref()).await? {
            tracing::info!("demo message sent");
        }
        let report = demo::nsis::load(&stores).await?;
        tracing::info!(
            elements = report.elements_created,
            assessment = report.assessment_created,
            idp_levels = report.idp_levels_registered,
            "demo NSIS risk assessment loaded"
        );
        let report = demo::prices::load(&stores).await?;
        tracing::info!(
            prices = report.prices_created,
            populations = report.populations_imported,
            "demo prices and populations loaded"
        );
        if demo::agreements::load(&stores).await? {
            tracing::info!("demo agreements loaded");
        }
        if demo::incidents::load(&stores).await? {
            tracing::info!("demo incidents (the chain of responsibility) loaded");
        }
        let systems = demo::citizen_systems::load(citizen.as_ref()).await?;
        tracing::info!(systems, "demo vendor systems loaded");
        let started = std::time::Instant::now();
        if let Some(report) = demo::citizen_population::load(citizen.as_ref(), citizens).await? {
            tracing::info!(
                citizens = report.citizens,
                cases = report.cases,
                documents = report.documents,
                grants = report.grants,
                payments = report.payments,
                claims = report.claims,
                appointments = report.appointments,
                seconds = started.elapsed().as_secs_f64(),
                "demo citizens delivered through the ingest"
            );
        }
    }
    let address = listener.local_addr()?;
    println!("samspil is listening on http://{address}");
    println!("Database: {}", samspil::redact(&args.database.database_url));
    if demo.is_some() {
        println!("Demo logins (password \"{DEMO_PASSWORD}\"):");
        println!("  staff      community staff, with a second factor: the TOTP secret");
        println!("             {DEMO_TOTP_SECRET} (a code: oathtool --totp -b {DEMO_TOTP_SECRET})");
        println!(
            "  staff-ny   community staff who sets up an authenticator app at the first login"
        );
        println!(
            "  admin-NNN  administrator of the municipality with code NNN (e.g. admin-751, Aarhus)"
        );
        println!("  user-NNN   user of that municipality (e.g. user-751)");
    }
    let jobs = tokio::spawn(outbox.run());
    let directory_jobs = tokio::spawn(directory_sync.run());
    let served = samspil::serve(
        listener,
        stores,
        citizen,
        WebConfig {
            behind_tls: args.behind_tls,
            public_url: args.public_url,
            oidc,
            saml,
            metrics_token: args.metrics_token,
            login_address_limit: samspil_domain::throttle::AddressLimit {
                failures: args.login_failures_per_address,
                ..Default::default()
            },
        },
        samspil::HttpOptions {
            header_read_timeout: std::time::Duration::from_secs(args.header_read_timeout_seconds),
        },
    )
    .await;
    jobs.abort();
    directory_jobs.abort();
    served
}

fn init_logging(format: LogFormat) {
    let filter = EnvFilter::try_from_env("SAMSPIL_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    match format {
        LogFormat::Text => builder.init(),
        LogFormat::Json => builder.json().init(),
    }
}

/// `samspil systems …`: the main store (for the municipalities) and the
/// citizen store, migrated, then the command.
async fn systems(command: SystemsCommand) -> anyhow::Result<()> {
    let (database, citizen) = match &command {
        SystemsCommand::Add {
            database, citizen, ..
        }
        | SystemsCommand::List { database, citizen }
        | SystemsCommand::Disable {
            database, citizen, ..
        }
        | SystemsCommand::Rotate {
            database, citizen, ..
        } => (database, citizen),
    };
    let stores = samspil::open_storage(&database.database_url).await?;
    samspil::prepare(stores.platform.as_ref()).await?;
    let store = samspil::open_citizen_storage(&database.database_url, &citizen.database()).await?;
    samspil::prepare_citizen(store.as_ref()).await?;
    match &command {
        SystemsCommand::Add {
            it_system_uuid,
            name,
            vendor,
            kind,
            mode,
            municipality,
            from,
            ..
        } => {
            let new = samspil::systems::NewSystem {
                it_system_uuid,
                name,
                vendor,
                kind,
                mode,
                municipalities: municipality,
                valid_from: from.as_deref(),
            };
            let (system, secret) =
                samspil::systems::add(stores.platform.as_ref(), store.as_ref(), &new).await?;
            eprintln!(
                "Vendor system {} ({}) is registered; its credential follows (shown once).",
                system.id.0, system.name
            );
            println!("{secret}");
        }
        SystemsCommand::List { .. } => {
            println!("{}", samspil::systems::list(store.as_ref()).await?)
        }
        SystemsCommand::Disable { id, .. } => {
            println!("{}", samspil::systems::disable(store.as_ref(), *id).await?)
        }
        SystemsCommand::Rotate {
            id, overlap_hours, ..
        } => println!(
            "{}",
            samspil::systems::rotate(store.as_ref(), *id, *overlap_hours).await?
        ),
    }
    Ok(())
}

/// A command line's day (`flag`, YYYY-MM-DD), or today (UTC) without one.
fn day_or_today(flag: &str, text: Option<String>) -> anyhow::Result<time::Date> {
    match text {
        Some(text) => time::Date::parse(
            &text,
            time::macros::format_description!("[year]-[month]-[day]"),
        )
        .map_err(|_| anyhow::anyhow!("{flag} {text}: not a date (YYYY-MM-DD)")),
        None => Ok(time::OffsetDateTime::now_utc().date()),
    }
}

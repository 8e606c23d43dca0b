//! samspil's integration tests: the real HTTP interface against a real
//! database. SQLite in a temporary directory by default; the same suite
//! against PostgreSQL when `SAMSPIL_TEST_POSTGRES_URL` is set (each test in
//! a database of its own).

mod harness;

mod api;
mod api_tokens;
mod attachments;
mod audit;
mod calendar_feed;
mod citizen_appointments;
mod citizen_benefits;
mod citizen_cases;
mod citizen_compliance;
mod citizen_debts;
mod citizen_documents;
mod citizen_retention;
mod citizen_soap;
mod citizen_systems;
mod cli;
mod concurrency;
mod contexts;
mod directory;
mod directory_sync;
mod forms_in_place;
mod fuzz;
mod home_and_lists;
mod input_validation;
mod isolation;
mod login;
mod meeting_evaluations;
mod meetings;
mod migrations;
mod notifications;
mod oidc;
mod ops;
mod organisations;
mod pipelines;
mod role_pages;
mod role_tasks;
mod roles;
mod saml;
mod security;
mod task_comments;
mod task_documents;
mod task_editing;
mod task_lists;
mod task_municipalities;
mod task_pages;
mod tasks;
mod tenancy;
mod tools_agreements;
mod tools_incidents;
mod tools_nsis;
mod tools_nsis_files;
mod tools_prices;
mod totp;
mod user_types;
mod web_hardening;
mod workshops;

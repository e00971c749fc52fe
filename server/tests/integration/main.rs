//! Integration tests: the real router against a real PostgreSQL, a fresh database per test.

mod common;

mod auth;
mod cases;
mod demo;
mod discussion;
mod follows;
mod pages;
mod privacy;
mod search;
mod visibility;

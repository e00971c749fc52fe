//! Integration tests: the real router against a real PostgreSQL, a fresh database per test.

mod common;

mod auth;
mod cases;
mod cme;
mod demo;
mod discussion;
mod follows;
mod http;
mod lessons;
mod media;
mod pages;
mod privacy;
mod published;
mod quiz;
mod review;
mod search;
mod visibility;

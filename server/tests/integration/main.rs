//! Integration tests: the real router against a real PostgreSQL, a fresh database per test.

mod common;

mod auth;
mod badges;
mod cases;
mod cme;
mod cme_credit;
mod consult_pools;
mod consults;
mod demo;
mod discussion;
mod follows;
mod home;
mod http;
mod lessons;
mod limits;
mod lists;
mod matrix;
mod media;
mod membership;
mod metrics;
mod pages;
mod privacy;
mod published;
mod quiz;
mod quiz_bank;
mod quiz_exchange;
mod quiz_records;
mod quiz_writing;
mod review;
mod search;
mod trust;
mod visibility;

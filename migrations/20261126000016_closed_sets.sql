-- Closed sets become enum types, as roles, visibility and case states already are: the database
-- refuses a value the application does not know, and the Rust enums (app::cme::CreditType,
-- app::quiz::FeedbackMode, …) map onto them one to one. Existing rows convert as they are (the
-- old check constraints allowed exactly these values); the checks go, the types now say it.

create type credit_type as enum ('points', 'hours');
create type feedback_mode as enum ('each', 'end');
create type claim_status as enum ('pending', 'approved', 'rejected');
create type credit_source as enum ('corridor', 'external');
create type practice_change as enum ('none', 'considering', 'will_change', 'already_changed');
create type notification_kind as enum ('case_published', 'comment_reply');

-- Defaults are text literals: they go before the change of type and come back after it.
alter table quizzes
    drop constraint quizzes_feedback_mode_check,
    drop constraint quizzes_credit_type_check,
    alter column feedback_mode drop default,
    alter column credit_type drop default;
alter table quizzes
    alter column feedback_mode type feedback_mode using feedback_mode::feedback_mode,
    alter column credit_type type credit_type using credit_type::credit_type,
    alter column feedback_mode set default 'each',
    alter column credit_type set default 'points';

alter table cme_profiles
    drop constraint cme_profiles_unit_check,
    alter column unit type credit_type using unit::credit_type;

-- The ledger's trigger refuses row updates; a change of column type rewrites the table without
-- firing it, and keeps every row as it was.
alter table cme_ledger
    drop constraint cme_ledger_credit_type_check,
    drop constraint cme_ledger_source_check,
    alter column credit_type type credit_type using credit_type::credit_type,
    alter column source type credit_source using source::credit_source;

-- Certificates copy the ledger's credit type (they never had a check of their own).
alter table certificates
    alter column credit_type type credit_type using credit_type::credit_type;

-- The partial index compares status with a text literal, so it is rebuilt around the new type.
drop index cme_claims_pending_idx;
alter table cme_claims
    drop constraint cme_claims_credit_type_check,
    drop constraint cme_claims_status_check,
    alter column status drop default;
alter table cme_claims
    alter column credit_type type credit_type using credit_type::credit_type,
    alter column status type claim_status using status::claim_status,
    alter column status set default 'pending';
create index cme_claims_pending_idx on cme_claims (user_id) where status = 'pending';

alter table activity_evaluations
    drop constraint activity_evaluations_practice_change_check,
    alter column practice_change type practice_change using practice_change::practice_change;

alter table notifications
    drop constraint notifications_kind_check,
    alter column kind type notification_kind using kind::notification_kind;

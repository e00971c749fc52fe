//! Mentors and readers: profiles, following, discussion and notifications.

use std::fmt::Display;

use app::discussion::Notification;

use super::Fields;
use crate::common::{Client, Reply, TestApp};

impl TestApp {
    /// `mentor`: a mentor's public profile (`MentorProfile`).
    pub async fn mentor(&self, client: &mut Client, id: impl Display) -> Reply {
        self.send(client, "mentor", Fields::new().with("id", id))
            .await
    }

    /// `follow`: follows (or, with `false`, unfollows) a mentor.
    pub async fn follow(
        &self,
        client: &mut Client,
        mentor_id: impl Display,
        follow: bool,
    ) -> Reply {
        let fields = Fields::new()
            .with("mentor_id", mentor_id)
            .with("follow", follow);
        self.send(client, "follow", fields).await
    }

    /// `follow-specialty`.
    pub async fn follow_specialty(
        &self,
        client: &mut Client,
        specialty: &str,
        follow: bool,
    ) -> Reply {
        let fields = Fields::new()
            .with("specialty", specialty)
            .with("follow", follow);
        self.send(client, "follow-specialty", fields).await
    }

    /// `discussion`: a case's comments (`Discussion`).
    pub async fn discussion(&self, client: &mut Client, case_id: impl Display) -> Reply {
        self.send(client, "discussion", Fields::new().with("case_id", case_id))
            .await
    }

    /// `discussion`: the page of a case's comments after the cursor `after` (`Discussion`).
    pub async fn discussion_after(
        &self,
        client: &mut Client,
        case_id: impl Display,
        after: Option<&str>,
    ) -> Reply {
        let fields = Fields::new().with("case_id", case_id).maybe("after", after);
        self.send(client, "discussion", fields).await
    }

    /// `comment`: a new thread on a case.
    pub async fn comment(&self, client: &mut Client, case_id: impl Display, body: &str) -> Reply {
        let fields = Fields::new().with("case_id", case_id).with("body", body);
        self.send(client, "comment", fields).await
    }

    /// `comment`: a reply to the comment `parent_id`.
    pub async fn reply_to(
        &self,
        client: &mut Client,
        case_id: impl Display,
        parent_id: impl Display,
        body: &str,
    ) -> Reply {
        let fields = Fields::new()
            .with("case_id", case_id)
            .with("parent_id", parent_id)
            .with("body", body);
        self.send(client, "comment", fields).await
    }

    /// `hide-comment`.
    pub async fn hide_comment(&self, client: &mut Client, comment_id: impl Display) -> Reply {
        let fields = Fields::new().with("comment_id", comment_id);
        self.send(client, "hide-comment", fields).await
    }

    /// `mark-answer`.
    pub async fn mark_answer(
        &self,
        client: &mut Client,
        comment_id: impl Display,
        answer: bool,
    ) -> Reply {
        let fields = Fields::new()
            .with("comment_id", comment_id)
            .with("answer", answer);
        self.send(client, "mark-answer", fields).await
    }

    /// `notifications`: the signed-in person's, newest first.
    pub async fn notifications(&self, client: &mut Client) -> Vec<Notification> {
        self.send(client, "notifications", Fields::new())
            .await
            .json()
    }

    /// `notifications/read`: marks them all read.
    pub async fn read_notifications(&self, client: &mut Client) -> Reply {
        self.send(client, "notifications/read", Fields::new()).await
    }
}

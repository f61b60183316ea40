// The desktop's commands, once: the module that implements each, the arguments the UI
// sends (by these names) and what it gets back. This list makes the Tauri handler
// (`commands::handler`), the permission that lets the window call each command (build.rs)
// and the UI's typed client (`contract`, written to ui/src/api/generated/).
desk_commands! {
    auth::sign_in(request: SignInRequest) -> Agent;
    auth::resume_session() -> Option<Agent>;
    auth::sign_out() -> ();
    auth::connection_choices(host: String) -> ConnectionChoices;
    auth::choose_ca_file() -> Option<String>;
    issues::list_issues(query: ViewQuery) -> ViewPage;
    issues::view_counts() -> Vec<ViewCount>;
    issues::daily_counts(days: i64) -> Vec<DailyCount>;
    issues::satisfaction() -> Satisfaction;
    issues::response_times() -> ResponseTimes;
    issues::get_issue(id: i64) -> IssueDetail;
    issues::update_issue(
        id: i64,
        seen: DateTime<Utc>,
        status: Option<Status>,
        priority: Option<Priority>,
        response: Option<String>,
        email: bool
    ) -> IssueUpdated;
    issues::take_issue(id: i64, seen: DateTime<Utc>) -> IssueUpdated;
    issues::assign_issue(id: i64, seen: DateTime<Utc>, owner: Option<String>) -> IssueUpdated;
    issues::list_agents() -> Vec<String>;
    issues::add_note(id: i64, text: String) -> IssueUpdated;
    issues::merge_issue(id: i64, into: i64, other_customer: bool) -> IssueUpdated;
    issues::delete_issue(id: i64, seen: DateTime<Utc>) -> ();
    photos::photo(id: i64) -> FullPhoto;
    photos::save_photo(id: i64) -> Option<String>;
    privacy::customer_records(issue_id: i64, by: MatchBy) -> CustomerRecords;
    privacy::export_customer(issue_id: i64, by: MatchBy) -> Option<String>;
    privacy::erase_customer(issue_id: i64, by: MatchBy) -> String;
    replies::list_replies() -> Vec<SavedReply>;
    replies::save_reply(id: Option<i64>, title: String, body: String) -> RepliesChanged;
    replies::delete_reply(id: i64) -> RepliesChanged;
    replies::fill_reply(reply_id: i64, issue_id: i64) -> FilledReply;
    contact::open_contact(id: i64, channel: Channel, draft: Option<String>) -> ();
    contact::open_order_page(id: i64) -> ();
    team::list_team() -> Vec<TeamMember>;
    team::add_agent(login: String, password: Option<Password>, admin: bool) -> TeamChanged;
    team::set_agent_enabled(login: String, enabled: bool) -> TeamChanged;
    team::reset_agent_password(login: String, password: Option<Password>) -> TeamChanged;
    team::set_agent_admin(login: String, admin: bool) -> TeamChanged;
    team::change_own_password(password: Password) -> String;
    preferences::get_settings() -> Settings;
    preferences::save_settings(settings: Settings) -> Settings;
}

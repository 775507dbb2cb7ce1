//! The one-time secret guard: what KeyScope does between the moment nuget.org hands the page a
//! new API key and the moment the user has put it somewhere safe.
//!
//! nuget.org shows a new (or regenerated) key once: the value lives only in the page's view
//! model, is wiped after ten minutes without mouse or keyboard activity, and is lost on reload.
//! For every such key the guard keeps one [`Prompt`] whose life is
//!
//! ```text
//! shown ──save/copy──▶ kept ──"I've stored it"──▶ confirmed ──▶ forgotten
//!   │                   │                              ▲
//!   ├── idle wipe ──────┴──▶ wiped ──"Close"───────────┘
//!   │                  (the page forgot the value; say how to regenerate)
//!   └── row gone / regenerated again ──▶ dismissed ──▶ forgotten
//! ```
//!
//! A closed prompt (confirmed or dismissed) is in one more answer, with an empty view so the
//! content script removes it, and then forgotten, unless a copy's clipboard check is still to
//! report: then it goes with the answer that carries the check's final outcome. So a long page
//! life that shows thousands of keys answers with the open prompts only.
//!
//! Why it is shaped this way:
//! - **The secret never comes here.** The content script keeps the value and passes only its
//!   masked form (`oy2…` + last four); this module decides states, wording and deadlines. So
//!   no copy of a key ever sits in WebAssembly memory, and there is nothing to zeroize.
//! - **No clock.** Every event carries `now` (milliseconds since the epoch) so the idle
//!   countdown and the clipboard deadline are tested natively without waiting.
//! - The page's idle timer restarts on every `mousemove`/`keypress`; the guard mirrors it from
//!   the same events ([`Event::Activity`]), and trusts the page when it wipes earlier.
//! - **The clipboard is cleared only if it still holds the key**, which takes reading it, and
//!   the browser lets KeyScope read it only with the optional clipboard permission the user
//!   grants on the settings page. So every note about the clipboard says whether KeyScope may
//!   check it, and where it may not, says where to allow it ([`ClipboardOutcome::NotAllowed`]).

use serde::{Deserialize, Serialize};

use crate::i18n::t;
use crate::ui::{self, el, text, Node};

/// nuget.org wipes a shown key after this long without mouse or keyboard activity.
pub const PAGE_IDLE_WIPE_MS: u64 = 10 * 60 * 1000;
/// How long before the idle wipe the countdown turns into a warning.
pub const WARN_BEFORE_WIPE_MS: u64 = 60 * 1000;
/// How long a copied key stays on the clipboard by default.
pub const DEFAULT_CLIPBOARD_CLEAR_S: u32 = 60;
/// The range the clipboard setting accepts (0 turns clearing off).
pub const CLIPBOARD_CLEAR_RANGE_S: (u32, u32) = (10, 300);

/// Whether the page made a key or gave an existing one a new value.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum Origin {
    Created,
    Regenerated,
}

/// Where a prompt is in its life.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum State {
    /// The key was just shown; nothing has been done with it yet.
    Shown,
    /// Handed to the password manager and/or copied, not yet confirmed.
    Kept,
    /// The user said it is stored; the prompt closes.
    Confirmed,
    /// The page wiped the value before the user confirmed.
    Wiped,
    /// The key's row went away (deleted, revoked, regenerated again): nothing left to guard.
    Dismissed,
}

impl State {
    pub fn name(self) -> &'static str {
        match self {
            State::Shown => "shown",
            State::Kept => "kept",
            State::Confirmed => "confirmed",
            State::Wiped => "wiped",
            State::Dismissed => "dismissed",
        }
    }

    /// Whether the value still exists and the user has not said it is safe.
    pub fn at_risk(self) -> bool {
        matches!(self, State::Shown | State::Kept)
    }
}

/// What the content script tells the guard. Every event comes with `now`.
#[derive(Debug, Deserialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum Event {
    /// The page received a new key (the value stays in the content script).
    Shown {
        key: i64,
        origin: Origin,
        name: String,
        #[serde(default)]
        owner: Option<String>,
        #[serde(default)]
        expires: Option<String>,
        #[serde(default)]
        scopes: Vec<String>,
        /// `oy2…` + the last four characters.
        masked: String,
        /// The page's idle wipe, when it differs from nuget.org's ten minutes.
        #[serde(default)]
        idle_ms: Option<u64>,
        /// The clipboard setting in seconds (0 = never clear).
        #[serde(default)]
        clipboard_clear_s: Option<u32>,
    },
    /// The browser's password-manager mechanism was called with the key.
    Saved { key: i64 },
    /// Saving failed; `reason` is shown.
    SaveFailed { key: i64, reason: String },
    /// The key is on the clipboard. `may_check`: whether KeyScope holds the permission to
    /// read the clipboard, without which it cannot clear it at the deadline.
    Copied {
        key: i64,
        #[serde(default = "may_check_unless_told")]
        may_check: bool,
    },
    /// Copying failed; `reason` is shown.
    CopyFailed { key: i64, reason: String },
    /// What happened when the clipboard deadline came.
    Clipboard { key: i64, outcome: ClipboardOutcome },
    /// "I've stored it".
    Confirmed { key: i64 },
    /// Mouse or keyboard activity: the page's idle timer restarted.
    Activity,
    /// Time passed (the content script ticks about once a second while a prompt is open).
    Tick,
    /// What the page shows of the key now: its row, and its Copy link (offered only while the
    /// page holds the value). A row or link never seen says nothing (nuget.org may have renamed
    /// it); one seen and then gone means the row left or the value was wiped.
    Page { key: i64, row: bool, copy: bool },
}

/// Without a word on the permission, the content script is assumed to know it may check.
fn may_check_unless_told() -> bool {
    true
}

/// What became of a copied key when its clipboard deadline came.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum ClipboardOutcome {
    /// The clipboard still held the key and was emptied.
    Cleared,
    /// Something else had been copied since; it was left alone.
    Changed,
    /// The user has not allowed KeyScope to check the clipboard (the optional permission),
    /// so it was left alone.
    NotAllowed,
    /// The browser reads the clipboard only for the focused tab: the check waits until the
    /// user comes back to the page, then a final outcome follows.
    Deferred,
    /// KeyScope may check the clipboard, but the browser refused to read or clear it.
    Unreadable,
}

/// One key's prompt as the content script draws it.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PromptView {
    pub key: i64,
    pub state: &'static str,
    /// Whether the countdown is in its last minute.
    pub warning: bool,
    /// The username the password manager stores the key under.
    pub username: String,
    /// When the content script should check and clear the clipboard (epoch ms).
    pub clear_clipboard_at: Option<u64>,
    /// Empty once the prompt is closed (confirmed or dismissed).
    pub view: Vec<Node>,
}

/// The guard's answer to every event.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Answer {
    pub prompts: Vec<PromptView>,
    /// Whether leaving the page must ask first (some key is at risk).
    pub hold_page: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Note {
    None,
    Saved,
    SaveFailed,
    Copied,
    CopyFailed,
    Clipboard(ClipboardOutcome),
}

/// One new key and what has been done with it.
#[derive(Debug)]
pub struct Prompt {
    key: i64,
    origin: Origin,
    name: String,
    owner: Option<String>,
    expires: Option<String>,
    scopes: Vec<String>,
    masked: String,
    idle_ms: u64,
    clipboard_clear_ms: Option<u64>,
    state: State,
    saved: bool,
    copied: bool,
    /// Whether KeyScope may read the clipboard, as last told on Copy.
    may_check: bool,
    note: Note,
    reason: String,
    clear_clipboard_at: Option<u64>,
    /// A copy's clipboard check is under way: from the Copy (with clearing on) until its final
    /// outcome. A deferred check has no deadline any more but is still to report.
    checking_clipboard: bool,
    /// Whether the page was seen showing the key's row, and its Copy link.
    row_seen: bool,
    copy_seen: bool,
}

impl Prompt {
    pub fn state(&self) -> State {
        self.state
    }

    /// Closed and with nothing left to report: the guard forgets it once it said so.
    fn done(&self) -> bool {
        matches!(self.state, State::Confirmed | State::Dismissed) && !self.checking_clipboard
    }

    /// The password manager's username: distinct from the user's nuget.org sign-in, and
    /// descriptive enough to find the key again.
    pub fn username(&self) -> String {
        match self
            .owner
            .as_deref()
            .filter(|owner| !owner.trim().is_empty())
        {
            Some(owner) => format!("api-key: {} ({owner})", self.name),
            None => format!("api-key: {}", self.name),
        }
    }
}

/// The open prompts (and closed ones still to report a clipboard check), and the page's idle
/// timer as the guard sees it.
#[derive(Debug, Default)]
pub struct Guard {
    prompts: Vec<Prompt>,
    last_activity: u64,
}

impl Guard {
    pub fn new() -> Guard {
        Guard::default()
    }

    pub fn prompt(&self, key: i64) -> Option<&Prompt> {
        self.prompts.iter().find(|prompt| prompt.key == key)
    }

    /// Applies one event at time `now` (epoch ms) and says what to draw.
    pub fn handle(&mut self, now: u64, event: Event) -> Answer {
        match event {
            Event::Shown {
                key,
                origin,
                name,
                owner,
                expires,
                scopes,
                masked,
                idle_ms,
                clipboard_clear_s,
            } => {
                // Creating or regenerating was a click or a key press: the page's timer restarted.
                self.last_activity = self.last_activity.max(now);
                self.prompts.retain(|prompt| prompt.key != key);
                self.prompts.push(Prompt {
                    key,
                    origin,
                    name,
                    owner,
                    expires,
                    scopes,
                    masked,
                    // The page may only shorten the countdown it shows, never lengthen it.
                    idle_ms: idle_ms
                        .filter(|&ms| ms > 0 && ms < PAGE_IDLE_WIPE_MS)
                        .unwrap_or(PAGE_IDLE_WIPE_MS),
                    clipboard_clear_ms: clipboard_clear_ms(clipboard_clear_s),
                    state: State::Shown,
                    saved: false,
                    copied: false,
                    may_check: true,
                    note: Note::None,
                    reason: String::new(),
                    clear_clipboard_at: None,
                    checking_clipboard: false,
                    row_seen: false,
                    copy_seen: false,
                });
            }
            Event::Saved { key } => self.update(key, |prompt| {
                prompt.saved = true;
                prompt.note = Note::Saved;
                prompt.state = State::Kept;
            }),
            Event::SaveFailed { key, reason } => self.update(key, |prompt| {
                prompt.note = Note::SaveFailed;
                prompt.reason = reason;
            }),
            Event::Copied { key, may_check } => self.update(key, |prompt| {
                prompt.copied = true;
                prompt.may_check = may_check;
                prompt.note = Note::Copied;
                prompt.state = State::Kept;
                prompt.clear_clipboard_at = prompt.clipboard_clear_ms.map(|ms| now + ms);
                prompt.checking_clipboard = prompt.clear_clipboard_at.is_some();
            }),
            Event::CopyFailed { key, reason } => self.update(key, |prompt| {
                prompt.note = Note::CopyFailed;
                prompt.reason = reason;
            }),
            Event::Clipboard { key, outcome } => {
                // The clipboard is checked even after the prompt closed, so this applies to
                // any prompt that still has a deadline.
                if let Some(prompt) = self.prompts.iter_mut().find(|p| p.key == key) {
                    prompt.clear_clipboard_at = None;
                    // A deferred check waits for the tab's focus; its final outcome follows.
                    prompt.checking_clipboard = outcome == ClipboardOutcome::Deferred;
                    prompt.note = Note::Clipboard(outcome);
                }
            }
            Event::Confirmed { key } => self.update_any(key, |prompt| {
                if prompt.state.at_risk() || prompt.state == State::Wiped {
                    prompt.state = State::Confirmed;
                }
            }),
            Event::Activity => self.last_activity = self.last_activity.max(now),
            Event::Tick => {}
            Event::Page { key, row, copy } => self.update(key, |prompt| {
                if prompt.row_seen && !row {
                    prompt.state = State::Dismissed;
                } else if prompt.copy_seen && !copy {
                    prompt.state = State::Wiped;
                }
                prompt.row_seen |= row;
                prompt.copy_seen |= copy;
            }),
        }
        self.expire(now);
        let answer = self.answer(now);
        // What was just said to be closed needs saying no more.
        self.prompts.retain(|prompt| !prompt.done());
        answer
    }

    /// Applies `change` to prompt `key` while its value is still at risk.
    fn update(&mut self, key: i64, change: impl FnOnce(&mut Prompt)) {
        if let Some(prompt) = self
            .prompts
            .iter_mut()
            .find(|prompt| prompt.key == key && prompt.state.at_risk())
        {
            change(prompt);
        }
    }

    fn update_any(&mut self, key: i64, change: impl FnOnce(&mut Prompt)) {
        if let Some(prompt) = self.prompts.iter_mut().find(|prompt| prompt.key == key) {
            change(prompt);
        }
    }

    /// The page wipes every value once its idle time has passed with no activity.
    fn expire(&mut self, now: u64) {
        let last_activity = self.last_activity;
        for prompt in &mut self.prompts {
            if prompt.state.at_risk() && now >= last_activity + prompt.idle_ms {
                prompt.state = State::Wiped;
            }
        }
    }

    /// Milliseconds until the page wipes `prompt`'s value.
    fn remaining(&self, prompt: &Prompt, now: u64) -> u64 {
        (self.last_activity + prompt.idle_ms).saturating_sub(now)
    }

    fn answer(&self, now: u64) -> Answer {
        let prompts = self
            .prompts
            .iter()
            .map(|prompt| {
                let remaining = self.remaining(prompt, now);
                let warning = prompt.state.at_risk() && remaining <= WARN_BEFORE_WIPE_MS;
                PromptView {
                    key: prompt.key,
                    state: prompt.state.name(),
                    warning,
                    username: prompt.username(),
                    clear_clipboard_at: prompt.clear_clipboard_at,
                    view: prompt_view(prompt, remaining, warning),
                }
            })
            .collect();
        Answer {
            prompts,
            hold_page: self.prompts.iter().any(|prompt| prompt.state.at_risk()),
        }
    }
}

/// The clipboard setting as a delay: `None` when clearing is off, otherwise clamped to range.
fn clipboard_clear_ms(seconds: Option<u32>) -> Option<u64> {
    match seconds.unwrap_or(DEFAULT_CLIPBOARD_CLEAR_S) {
        0 => None,
        s => Some(u64::from(s.clamp(CLIPBOARD_CLEAR_RANGE_S.0, CLIPBOARD_CLEAR_RANGE_S.1)) * 1000),
    }
}

/// `m:ss`, rounded up so the countdown never shows 0:00 while the value still exists.
pub fn clock(ms: u64) -> String {
    let seconds = ms.div_ceil(1000);
    format!("{}:{:02}", seconds / 60, seconds % 60)
}

fn action(name: &'static str, label: &str, primary: bool) -> Node {
    el("button")
        .attr("type", "button")
        .class(if primary {
            "keyscope-guard-button keyscope-guard-primary"
        } else {
            "keyscope-guard-button"
        })
        .attr("data-keyscope-action", name)
        .child(text(label))
        .into()
}

fn prompt_view(prompt: &Prompt, remaining: u64, warning: bool) -> Vec<Node> {
    let heading = match prompt.origin {
        Origin::Created => t("guard_heading_created", &[&prompt.name]),
        Origin::Regenerated => t("guard_heading_regenerated", &[&prompt.name]),
    };
    let mut details = vec![el("code")
        .attr("data-keyscope", "guard-masked")
        .child(text(prompt.masked.clone()))
        .into()];
    if let Some(owner) = &prompt.owner {
        details.push(text(t("guard_owner", &[owner])));
    }
    if let Some(expires) = &prompt.expires {
        details.push(text(t(
            "guard_expires",
            &[expires.get(..10).unwrap_or(expires)],
        )));
    }
    if !prompt.scopes.is_empty() {
        details.push(text(format!(" · {}", prompt.scopes.join(", "))));
    }
    let base = el("div")
        .class("keyscope-guard")
        .attr("data-keyscope", "guard")
        .attr("data-keyscope-key", prompt.key.to_string())
        .attr("data-keyscope-state", prompt.state.name())
        .attr("role", "region")
        .attr("aria-label", t("guard_label", &[&prompt.name]));
    match prompt.state {
        State::Confirmed | State::Dismissed => Vec::new(),
        State::Wiped => vec![base
            .attr("data-keyscope-state", "wiped")
            .child(el("h3").child(text(t("guard_gone_heading", &[&prompt.name]))))
            .child(
                el("p")
                    .attr("role", "alert")
                    .child(text(t("guard_gone_text", &[]))),
            )
            .child(el("div").class("keyscope-guard-actions").child(action(
                "confirm",
                &t("guard_close", &[]),
                false,
            )))
            .into()],
        State::Shown | State::Kept => {
            let mut body = base
                .child(el("h3").child(text(heading)))
                .child(el("p").class("keyscope-guard-details").children(details))
                .child(el("p").child(text(t("guard_store_now", &[]))))
                .child(
                    el("div")
                        .class("keyscope-guard-actions")
                        .child(action(
                            "save",
                            &t(
                                if prompt.saved {
                                    "guard_save_again"
                                } else {
                                    "guard_save"
                                },
                                &[],
                            ),
                            true,
                        ))
                        .child(action("copy", &t("guard_copy", &[]), false))
                        .child(action("confirm", &t("guard_confirm", &[]), false)),
                );
            if let Some(note) = note_text(prompt) {
                body = body.child(
                    el("p")
                        .class("keyscope-guard-note")
                        .attr("data-keyscope", "guard-note")
                        .attr("role", "status")
                        .child(text(note)),
                );
            }
            let countdown = if warning {
                t("guard_countdown_warning", &[&clock(remaining)])
            } else {
                t("guard_countdown", &[&clock(remaining)])
            };
            body = body.child(
                el("p")
                    .class("keyscope-guard-countdown")
                    .attr("data-keyscope", "guard-countdown")
                    .attr("data-keyscope-warning", warning.to_string())
                    .child(text(countdown)),
            );
            vec![body.into()]
        }
    }
}

fn note_text(prompt: &Prompt) -> Option<String> {
    let username = prompt.username();
    Some(match prompt.note {
        Note::None => return None,
        Note::Saved => t("guard_note_saved", &[&username]),
        Note::SaveFailed => t("guard_note_save_failed", &[&prompt.reason]),
        Note::Copied => match prompt.clipboard_clear_ms {
            Some(ms) => t(
                if prompt.may_check {
                    "guard_note_copied_clears"
                } else {
                    "guard_note_copied_not_allowed"
                },
                &[&ui::count((ms / 1000) as usize)],
            ),
            None => t("guard_note_copied", &[]),
        },
        Note::CopyFailed => t("guard_note_copy_failed", &[&prompt.reason]),
        Note::Clipboard(ClipboardOutcome::Cleared) => t("guard_note_cleared", &[]),
        Note::Clipboard(ClipboardOutcome::Changed) => t("guard_note_changed", &[]),
        Note::Clipboard(ClipboardOutcome::NotAllowed) => t("guard_note_not_allowed", &[]),
        Note::Clipboard(ClipboardOutcome::Deferred) => t("guard_note_deferred", &[]),
        Note::Clipboard(ClipboardOutcome::Unreadable) => t("guard_note_unreadable", &[]),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::read;

    const T0: u64 = 1_700_000_000_000;

    fn shown(key: i64) -> Event {
        Event::Shown {
            key,
            origin: Origin::Created,
            name: "ci push".to_string(),
            owner: Some("Contoso".to_string()),
            expires: Some("2026-01-01T00:00:00Z".to_string()),
            scopes: vec!["Push only new package versions".to_string()],
            masked: "oy2…wxyz".to_string(),
            idle_ms: None,
            clipboard_clear_s: None,
        }
    }

    fn guard_with(key: i64) -> Guard {
        let mut guard = Guard::new();
        guard.handle(T0, shown(key));
        guard
    }

    fn view_of(answer: &Answer, key: i64) -> &PromptView {
        answer
            .prompts
            .iter()
            .find(|prompt| prompt.key == key)
            .expect("prompt")
    }

    fn all_text(view: &PromptView) -> String {
        read::text(&view.view)
    }

    fn actions(view: &PromptView) -> Vec<String> {
        read::values(&view.view, "data-keyscope-action")
    }

    #[test]
    fn guard_shows_masked_key_with_three_actions() {
        let mut guard = Guard::new();
        let answer = guard.handle(T0, shown(7));
        let view = view_of(&answer, 7);
        assert_eq!(view.state, "shown");
        assert!(all_text(view).contains("oy2…wxyz"));
        assert!(all_text(view).contains("ci push"));
        assert_eq!(actions(view), vec!["save", "copy", "confirm"]);
        assert!(answer.hold_page);
    }

    #[test]
    fn guard_username_names_key_and_owner() {
        let guard = guard_with(7);
        assert_eq!(
            guard.prompt(7).map(Prompt::username).as_deref(),
            Some("api-key: ci push (Contoso)")
        );
    }

    #[test]
    fn guard_username_without_owner_names_the_key_only() {
        let mut guard = Guard::new();
        let mut event = shown(3);
        if let Event::Shown { owner, .. } = &mut event {
            *owner = None;
        }
        guard.handle(T0, event);
        assert_eq!(
            guard.prompt(3).map(Prompt::username).as_deref(),
            Some("api-key: ci push")
        );
    }

    #[test]
    fn guard_save_keeps_holding_the_page_until_confirmed() {
        let mut guard = guard_with(7);
        let answer = guard.handle(T0 + 1000, Event::Saved { key: 7 });
        assert_eq!(view_of(&answer, 7).state, "kept");
        assert!(answer.hold_page);
        assert!(all_text(view_of(&answer, 7)).contains("api-key: ci push (Contoso)"));
        let answer = guard.handle(T0 + 2000, Event::Confirmed { key: 7 });
        assert_eq!(view_of(&answer, 7).state, "confirmed");
        assert!(view_of(&answer, 7).view.is_empty());
        assert!(!answer.hold_page);
    }

    #[test]
    fn guard_confirm_without_saving_closes_the_prompt() {
        let mut guard = guard_with(7);
        let answer = guard.handle(T0, Event::Confirmed { key: 7 });
        assert!(!answer.hold_page);
    }

    fn copied(key: i64, may_check: bool) -> Event {
        Event::Copied { key, may_check }
    }

    fn clipboard(key: i64, outcome: ClipboardOutcome) -> Event {
        Event::Clipboard { key, outcome }
    }

    #[test]
    fn guard_copy_schedules_clipboard_clearing_after_sixty_seconds() {
        let mut guard = guard_with(7);
        let answer = guard.handle(T0 + 500, copied(7, true));
        let view = view_of(&answer, 7);
        assert_eq!(view.clear_clipboard_at, Some(T0 + 500 + 60_000));
        assert!(all_text(view).contains("clears the clipboard in 60 s"));
    }

    #[test]
    fn guard_clipboard_setting_is_clamped_and_can_be_off() {
        assert_eq!(clipboard_clear_ms(Some(0)), None);
        assert_eq!(clipboard_clear_ms(Some(3)), Some(10_000));
        assert_eq!(clipboard_clear_ms(Some(900)), Some(300_000));
        assert_eq!(clipboard_clear_ms(None), Some(60_000));
    }

    #[test]
    fn guard_says_when_it_cleared_the_clipboard() {
        let mut guard = guard_with(7);
        guard.handle(T0, copied(7, true));
        let answer = guard.handle(T0 + 60_000, clipboard(7, ClipboardOutcome::Cleared));
        let view = view_of(&answer, 7);
        assert_eq!(view.clear_clipboard_at, None);
        assert!(all_text(view).contains("cleared the key from your clipboard"));
        assert_eq!(actions(view), vec!["save", "copy", "confirm"]);
    }

    #[test]
    fn guard_says_it_left_a_changed_clipboard_alone() {
        let mut guard = guard_with(7);
        guard.handle(T0, copied(7, true));
        let answer = guard.handle(T0 + 60_000, clipboard(7, ClipboardOutcome::Changed));
        let view = view_of(&answer, 7);
        assert!(
            all_text(view).contains("no longer held the key, so KeyScope left it alone"),
            "{}",
            all_text(view)
        );
        assert_eq!(actions(view), vec!["save", "copy", "confirm"]);
    }

    #[test]
    fn guard_copy_without_the_permission_says_it_cannot_clear_and_where_to_allow_it() {
        let mut guard = guard_with(7);
        let answer = guard.handle(T0 + 500, copied(7, false));
        let view = view_of(&answer, 7);
        // The deadline stays: the user may grant the permission before it comes.
        assert_eq!(view.clear_clipboard_at, Some(T0 + 500 + 60_000));
        assert!(
            all_text(view)
                .contains("may not check your clipboard, so it cannot clear the key in 60 s"),
            "{}",
            all_text(view)
        );
        assert!(all_text(view).contains("allow it in KeyScope's options"));
        assert!(!all_text(view).contains("clears the clipboard in"));
        assert_eq!(actions(view), vec!["save", "copy", "confirm"]);
    }

    #[test]
    fn guard_not_allowed_at_the_deadline_leaves_the_clipboard_to_the_user() {
        let mut guard = guard_with(7);
        guard.handle(T0, copied(7, true));
        let answer = guard.handle(T0 + 60_000, clipboard(7, ClipboardOutcome::NotAllowed));
        let view = view_of(&answer, 7);
        assert_eq!(view.clear_clipboard_at, None);
        assert!(
            all_text(view).contains("may not check your clipboard, so it left it alone"),
            "{}",
            all_text(view)
        );
        assert!(all_text(view).contains("allow it in KeyScope's options"));
        assert_eq!(actions(view), vec!["save", "copy", "confirm"]);
    }

    #[test]
    fn guard_deferred_check_waits_for_the_tab_then_reports() {
        let mut guard = guard_with(7);
        guard.handle(T0, copied(7, true));
        let answer = guard.handle(T0 + 60_000, clipboard(7, ClipboardOutcome::Deferred));
        let view = view_of(&answer, 7);
        assert!(all_text(view).contains("as soon as this tab has the focus again"));
        assert_eq!(actions(view), vec!["save", "copy", "confirm"]);
        let answer = guard.handle(T0 + 90_000, clipboard(7, ClipboardOutcome::Cleared));
        assert!(all_text(view_of(&answer, 7)).contains("cleared the key from your clipboard"));
    }

    #[test]
    fn guard_unreadable_clipboard_asks_the_user_to_clear_it() {
        let mut guard = guard_with(7);
        guard.handle(T0, copied(7, true));
        let answer = guard.handle(T0 + 60_000, clipboard(7, ClipboardOutcome::Unreadable));
        let view = view_of(&answer, 7);
        assert!(all_text(view).contains("clear it yourself if it still holds the key"));
        // The permission is there and the browser refused anyway: the options would not help.
        assert!(!all_text(view).contains("options"));
    }

    #[test]
    fn guard_copy_with_clearing_off_sets_no_deadline() {
        let mut guard = Guard::new();
        let mut event = shown(7);
        if let Event::Shown {
            clipboard_clear_s, ..
        } = &mut event
        {
            *clipboard_clear_s = Some(0);
        }
        guard.handle(T0, event);
        let answer = guard.handle(T0, copied(7, false));
        let view = view_of(&answer, 7);
        assert_eq!(view.clear_clipboard_at, None);
        assert!(all_text(view).contains("Clear your clipboard once you have pasted the key"));
        assert_eq!(actions(view), vec!["save", "copy", "confirm"]);
    }

    #[test]
    fn guard_copying_again_restarts_the_clipboard_deadline() {
        let mut guard = guard_with(7);
        guard.handle(T0, copied(7, false));
        let answer = guard.handle(T0 + 20_000, copied(7, true));
        let view = view_of(&answer, 7);
        assert_eq!(view.clear_clipboard_at, Some(T0 + 80_000));
        assert!(all_text(view).contains("clears the clipboard in 60 s"));
    }

    #[test]
    fn guard_checks_the_clipboard_after_the_prompt_closed_without_reopening_it() {
        let mut guard = guard_with(7);
        guard.handle(T0, copied(7, true));
        guard.handle(T0 + 1_000, Event::Confirmed { key: 7 });
        let answer = guard.handle(T0 + 60_000, clipboard(7, ClipboardOutcome::Cleared));
        let view = view_of(&answer, 7);
        assert_eq!(view.state, "confirmed");
        assert_eq!(view.clear_clipboard_at, None);
        assert!(view.view.is_empty());
        assert!(!answer.hold_page);
    }

    #[test]
    fn guard_counts_down_the_idle_wipe() {
        let mut guard = guard_with(7);
        let answer = guard.handle(T0 + 30_000, Event::Tick);
        let view = view_of(&answer, 7);
        assert!(!view.warning);
        assert!(
            all_text(view).contains("after 9:30 without"),
            "{}",
            all_text(view)
        );
    }

    #[test]
    fn guard_warns_before_idle_wipe() {
        let mut guard = guard_with(7);
        let answer = guard.handle(T0 + PAGE_IDLE_WIPE_MS - 60_001, Event::Tick);
        assert!(!view_of(&answer, 7).warning);
        let answer = guard.handle(T0 + PAGE_IDLE_WIPE_MS - 45_000, Event::Tick);
        let view = view_of(&answer, 7);
        assert!(view.warning);
        assert!(
            all_text(view).contains("wipes this key in 0:45"),
            "{}",
            all_text(view)
        );
    }

    #[test]
    fn guard_activity_restarts_the_countdown() {
        let mut guard = guard_with(7);
        guard.handle(T0 + 550_000, Event::Activity);
        let answer = guard.handle(T0 + 560_000, Event::Tick);
        let view = view_of(&answer, 7);
        assert!(!view.warning);
        assert!(all_text(view).contains("after 9:50"));
    }

    #[test]
    fn guard_says_the_key_is_gone_after_the_idle_wipe() {
        let mut guard = guard_with(7);
        let answer = guard.handle(T0 + PAGE_IDLE_WIPE_MS, Event::Tick);
        let view = view_of(&answer, 7);
        assert_eq!(view.state, "wiped");
        assert!(all_text(view).contains("is gone"));
        assert!(all_text(view).contains("Regenerate"));
        assert!(!answer.hold_page);
    }

    fn page(key: i64, row: bool, copy: bool) -> Event {
        Event::Page { key, row, copy }
    }

    #[test]
    fn guard_trusts_the_page_when_it_wipes_earlier() {
        let mut guard = guard_with(7);
        guard.handle(T0 + 1000, page(7, true, true));
        let answer = guard.handle(T0 + 2000, page(7, true, false));
        assert_eq!(view_of(&answer, 7).state, "wiped");
    }

    #[test]
    fn guard_keeps_the_key_when_its_copy_link_was_never_seen() {
        let mut guard = guard_with(7);
        guard.handle(T0 + 1000, page(7, true, false));
        let answer = guard.handle(T0 + 2000, page(7, true, false));
        assert_eq!(view_of(&answer, 7).state, "shown");
        assert!(answer.hold_page);
    }

    #[test]
    fn guard_keeps_the_key_when_its_row_was_never_seen() {
        let mut guard = guard_with(7);
        let answer = guard.handle(T0 + 1000, page(7, false, false));
        assert_eq!(view_of(&answer, 7).state, "shown");
        assert!(answer.hold_page);
    }

    #[test]
    fn guard_page_may_not_lengthen_the_idle_countdown() {
        let mut guard = Guard::new();
        let mut event = shown(7);
        if let Event::Shown { idle_ms, .. } = &mut event {
            *idle_ms = Some(PAGE_IDLE_WIPE_MS * 6);
        }
        guard.handle(T0, event);
        let answer = guard.handle(T0 + PAGE_IDLE_WIPE_MS, Event::Tick);
        assert_eq!(view_of(&answer, 7).state, "wiped");
    }

    #[test]
    fn guard_uses_a_shorter_page_idle_time() {
        let mut guard = Guard::new();
        let mut event = shown(7);
        if let Event::Shown { idle_ms, .. } = &mut event {
            *idle_ms = Some(5_000);
        }
        let answer = guard.handle(T0, event);
        assert!(view_of(&answer, 7).warning);
        let answer = guard.handle(T0 + 5_000, Event::Tick);
        assert_eq!(view_of(&answer, 7).state, "wiped");
    }

    #[test]
    fn guard_does_not_wipe_a_confirmed_key() {
        let mut guard = guard_with(7);
        guard.handle(T0, Event::Confirmed { key: 7 });
        let answer = guard.handle(T0 + PAGE_IDLE_WIPE_MS * 2, Event::Tick);
        assert!(answer.prompts.iter().all(|prompt| prompt.state != "wiped"));
        // Nor one kept for a clipboard check that waits for the tab past the idle time.
        let mut guard = guard_with(7);
        guard.handle(T0, copied(7, true));
        guard.handle(T0, Event::Confirmed { key: 7 });
        guard.handle(T0 + 60_000, clipboard(7, ClipboardOutcome::Deferred));
        let answer = guard.handle(T0 + PAGE_IDLE_WIPE_MS * 2, Event::Tick);
        assert_eq!(view_of(&answer, 7).state, "confirmed");
    }

    #[test]
    fn guard_dismisses_when_the_row_goes_away() {
        let mut guard = guard_with(7);
        guard.handle(T0, page(7, true, true));
        let answer = guard.handle(T0, page(7, false, false));
        assert_eq!(view_of(&answer, 7).state, "dismissed");
        assert!(!answer.hold_page);
    }

    #[test]
    fn guard_keeps_several_keys_apart() {
        let mut guard = guard_with(7);
        guard.handle(T0, shown(8));
        let answer = guard.handle(T0, Event::Confirmed { key: 7 });
        assert_eq!(view_of(&answer, 7).state, "confirmed");
        assert_eq!(view_of(&answer, 8).state, "shown");
        assert!(answer.hold_page);
    }

    #[test]
    fn guard_ignores_events_for_unknown_keys() {
        let mut guard = guard_with(7);
        let answer = guard.handle(T0, Event::Saved { key: 99 });
        assert_eq!(answer.prompts.len(), 1);
        assert_eq!(view_of(&answer, 7).state, "shown");
    }

    #[test]
    fn guard_regenerated_key_says_so() {
        let mut guard = Guard::new();
        let mut event = shown(9);
        if let Event::Shown { origin, .. } = &mut event {
            *origin = Origin::Regenerated;
        }
        let answer = guard.handle(T0, event);
        assert!(all_text(view_of(&answer, 9)).contains("has a new value"));
    }

    #[test]
    fn clock_rounds_up_to_whole_seconds() {
        assert_eq!(clock(0), "0:00");
        assert_eq!(clock(1), "0:01");
        assert_eq!(clock(60_000), "1:00");
        assert_eq!(clock(599_001), "10:00");
    }

    #[test]
    fn guard_events_parse_from_the_content_script() {
        let event: Event = serde_json::from_str(
            r#"{"type":"shown","key":4,"origin":"regenerated","name":"n","masked":"oy2…abcd"}"#,
        )
        .expect("event");
        assert!(matches!(event, Event::Shown { key: 4, .. }));
        for (outcome, expected) in [
            ("cleared", ClipboardOutcome::Cleared),
            ("changed", ClipboardOutcome::Changed),
            ("not-allowed", ClipboardOutcome::NotAllowed),
            ("deferred", ClipboardOutcome::Deferred),
            ("unreadable", ClipboardOutcome::Unreadable),
        ] {
            let json = format!(r#"{{"type":"clipboard","key":4,"outcome":"{outcome}"}}"#);
            let event: Event = serde_json::from_str(&json).expect("event");
            assert!(
                matches!(event, Event::Clipboard { outcome, .. } if outcome == expected),
                "{json}"
            );
        }
        let event: Event =
            serde_json::from_str(r#"{"type":"copied","key":4,"may_check":false}"#).expect("event");
        assert!(matches!(
            event,
            Event::Copied {
                key: 4,
                may_check: false
            }
        ));
        let event: Event = serde_json::from_str(r#"{"type":"copied","key":4}"#).expect("event");
        assert!(matches!(
            event,
            Event::Copied {
                may_check: true,
                ..
            }
        ));
    }

    /// Shows key `key`, lets the page show its row, then takes the row away.
    fn show_and_dismiss(guard: &mut Guard, now: u64, key: i64) -> Answer {
        guard.handle(now, shown(key));
        guard.handle(now, page(key, true, true));
        guard.handle(now, page(key, false, false))
    }

    fn listed(answer: &Answer, key: i64) -> bool {
        answer.prompts.iter().any(|prompt| prompt.key == key)
    }

    #[test]
    fn guard_forgets_a_confirmed_prompt_after_saying_it_closed() {
        let mut guard = guard_with(7);
        let answer = guard.handle(T0 + 1_000, Event::Confirmed { key: 7 });
        // Said once, with an empty view, so the content script removes the prompt...
        assert_eq!(view_of(&answer, 7).state, "confirmed");
        assert!(view_of(&answer, 7).view.is_empty());
        // ...then forgotten.
        assert!(guard.prompt(7).is_none());
        let answer = guard.handle(T0 + 2_000, Event::Tick);
        assert!(answer.prompts.is_empty());
        assert!(!answer.hold_page);
    }

    #[test]
    fn guard_forgets_a_dismissed_prompt_after_saying_it_closed() {
        let mut guard = Guard::new();
        let answer = show_and_dismiss(&mut guard, T0, 7);
        assert_eq!(view_of(&answer, 7).state, "dismissed");
        assert!(view_of(&answer, 7).view.is_empty());
        assert!(guard.prompt(7).is_none());
        let answer = guard.handle(T0 + 1_000, Event::Tick);
        assert!(answer.prompts.is_empty());
    }

    #[test]
    fn guard_keeps_a_closed_prompt_until_its_clipboard_deadline_has_an_outcome() {
        let mut guard = guard_with(7);
        guard.handle(T0, copied(7, true));
        let answer = guard.handle(T0 + 1_000, Event::Confirmed { key: 7 });
        assert_eq!(view_of(&answer, 7).clear_clipboard_at, Some(T0 + 60_000));
        let answer = guard.handle(T0 + 30_000, Event::Tick);
        let view = view_of(&answer, 7);
        assert_eq!(view.state, "confirmed");
        assert!(view.view.is_empty());
        assert_eq!(view.clear_clipboard_at, Some(T0 + 60_000));
        // The outcome is applied and said once more, then the prompt goes.
        let answer = guard.handle(T0 + 60_000, clipboard(7, ClipboardOutcome::Cleared));
        assert_eq!(view_of(&answer, 7).clear_clipboard_at, None);
        assert!(guard.prompt(7).is_none());
        let answer = guard.handle(T0 + 61_000, Event::Tick);
        assert!(answer.prompts.is_empty());
    }

    #[test]
    fn guard_keeps_a_closed_prompt_through_a_deferred_check_until_its_final_outcome() {
        let mut guard = guard_with(7);
        guard.handle(T0, copied(7, true));
        guard.handle(T0 + 1_000, Event::Confirmed { key: 7 });
        let answer = guard.handle(T0 + 60_000, clipboard(7, ClipboardOutcome::Deferred));
        assert_eq!(view_of(&answer, 7).state, "confirmed");
        // The tab is in the background for a while: the check is still to report.
        let answer = guard.handle(T0 + 120_000, Event::Tick);
        assert!(listed(&answer, 7));
        assert!(guard.prompt(7).is_some());
        let answer = guard.handle(T0 + 180_000, clipboard(7, ClipboardOutcome::Changed));
        assert!(listed(&answer, 7));
        assert!(guard.prompt(7).is_none());
    }

    #[test]
    fn guard_keeps_a_dismissed_prompt_until_its_clipboard_check_reports() {
        let mut guard = guard_with(7);
        guard.handle(T0, copied(7, true));
        guard.handle(T0, page(7, true, true));
        let answer = guard.handle(T0 + 1_000, page(7, false, false));
        assert_eq!(view_of(&answer, 7).state, "dismissed");
        let answer = guard.handle(T0 + 2_000, Event::Tick);
        assert!(listed(&answer, 7));
        let answer = guard.handle(T0 + 60_000, clipboard(7, ClipboardOutcome::NotAllowed));
        assert_eq!(view_of(&answer, 7).state, "dismissed");
        let answer = guard.handle(T0 + 61_000, Event::Tick);
        assert!(answer.prompts.is_empty());
    }

    #[test]
    fn guard_forgets_a_closed_prompt_whose_copy_had_clearing_off() {
        let mut guard = Guard::new();
        let mut event = shown(7);
        if let Event::Shown {
            clipboard_clear_s, ..
        } = &mut event
        {
            *clipboard_clear_s = Some(0);
        }
        guard.handle(T0, event);
        guard.handle(T0, copied(7, true));
        guard.handle(T0 + 1_000, Event::Confirmed { key: 7 });
        assert!(guard.prompt(7).is_none());
    }

    #[test]
    fn guard_keeps_a_wiped_prompt_until_the_user_closes_it() {
        let mut guard = guard_with(7);
        guard.handle(T0 + PAGE_IDLE_WIPE_MS, Event::Tick);
        let answer = guard.handle(T0 + PAGE_IDLE_WIPE_MS * 3, Event::Tick);
        let view = view_of(&answer, 7);
        assert_eq!(view.state, "wiped");
        assert_eq!(actions(view), vec!["confirm"]);
        let answer = guard.handle(T0 + PAGE_IDLE_WIPE_MS * 3, Event::Confirmed { key: 7 });
        assert!(view_of(&answer, 7).view.is_empty());
        let answer = guard.handle(T0 + PAGE_IDLE_WIPE_MS * 4, Event::Tick);
        assert!(answer.prompts.is_empty());
    }

    #[test]
    fn guard_ignores_events_for_a_forgotten_key() {
        let mut guard = guard_with(7);
        guard.handle(T0, Event::Confirmed { key: 7 });
        for event in [
            Event::Saved { key: 7 },
            copied(7, true),
            clipboard(7, ClipboardOutcome::Cleared),
            Event::Confirmed { key: 7 },
            page(7, true, true),
        ] {
            let answer = guard.handle(T0 + 1_000, event);
            assert!(answer.prompts.is_empty());
            assert!(!answer.hold_page);
        }
    }

    #[test]
    fn guard_answers_stay_small_over_many_keys() {
        // A long page life: 1,000 keys shown and gone (deleted, regenerated, confirmed).
        let mut guard = Guard::new();
        for key in 1..=1_000 {
            let now = T0 + key as u64 * 1_000;
            if key % 2 == 0 {
                show_and_dismiss(&mut guard, now, key);
            } else {
                guard.handle(now, shown(key));
                guard.handle(now, Event::Confirmed { key });
            }
        }
        let now = T0 + 1_001_000;
        let answer = guard.handle(now, shown(1_001));
        assert_eq!(answer.prompts.len(), 1);
        assert!(listed(&answer, 1_001));
        assert_eq!(guard.prompts.len(), 1);
        // The answer is as big as on a fresh page with one key (give or take the key's digits).
        let long_life = serde_json::to_string(&answer).expect("json").len();
        let fresh = serde_json::to_string(&Guard::new().handle(now, shown(1_001)))
            .expect("json")
            .len();
        assert_eq!(long_life, fresh);
    }

    #[test]
    fn guard_rejects_an_unknown_clipboard_outcome() {
        let parsed: Result<Event, _> =
            serde_json::from_str(r#"{"type":"clipboard","key":4,"outcome":"wiped-anyway"}"#);
        assert!(parsed.is_err());
    }
}

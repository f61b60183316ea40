# What CareDesk says to customers, in English: the public page, the status page, the emails
# and the validation of what customers type. Every message here has its German twin in
# de.ftl (a test compares the ids). Labels of issue types, priorities and statuses are
# core's own English (crates/core/src/domain); other languages translate them here as
# IssueType-<value>, Priority-<value>, Status-<value>.

## Validation of what customers type

field-name = { $field ->
    [name] Your name
    [email] The email address
    [phone] The phone number
    [order_id] The order number
    [description] The description
    [message] The message
    [comment] The comment
    [response] The response
   *[other] This field
}
field-too-long = { field-name } is too long (at most { $max } characters).
field-one-line = { field-name } must fit on one line.
field-control-chars = { field-name } contains invisible control characters; please remove them.
name-missing = Please enter your name.
email-missing = Please enter your email address, so that we can answer you.
email-invalid = "{ $value }" is not a valid email address (like name@example.com).
phone-missing = Please enter a phone number we can call you on.
phone-invalid = "{ $value }" is not a phone number we can call; include the country code if it is not a +{ $code } number.
description-missing = Please describe the problem.
description-too-short = Please describe the problem in a few more words (at least { $min } characters).
description-too-long = Please keep the description under { $max } characters (it has { $chars }).
message-missing = Please write your message.
message-too-short = Please write a few more words (at least { $min } characters).
message-too-long = Please keep the message under { $max } characters (it has { $chars }).
comment-too-long = Please keep the comment under { $max } characters (it has { $chars }).
response-missing = The response is empty.
response-too-long = The response is too long ({ $chars } characters, at most { $max }).
note-missing = The note is empty.
note-too-long = The note is too long ({ $chars } characters, at most { $max }).
reply-title-missing = Give the saved reply a title.
reply-title-too-long = The title is too long ({ $chars } characters, at most { $max }).
reply-title-one-line = The title must fit on one line.
reply-body-missing = The saved reply has no text.
reply-body-too-long = The text is too long ({ $chars } characters, at most { $max }).
choice-unknown = "{ $value }" is not a known { $what ->
    [IssueType] issue type
    [Priority] priority
    [Status] status
    [Language] language
   *[other] choice
}; choose one of: { $choices }.
issue-type-missing = Please choose what the problem is about.
expected-text = Expected text.
honeypot-filled = Leave this field empty.
photo-too-large = { $file } is larger than { $mb } MB; please send a smaller photo.
photo-not-image = { $file } is not a photo we can read (JPEG, PNG, WebP or HEIC).
photo-too-many-pixels = { $file } has more than { $megapixels } megapixels; please send a smaller photo.
photos-too-many = You attached { $count } photos; at most { $max } can be sent at once.

## Refusals of a report or message as a whole

error-malformed = The request could not be read: { $detail }
error-form-unreadable = the form could not be read; please try again.
error-media-type = Send the report as JSON (Content-Type: application/json).
error-too-large = The report is too large. Please shorten the description.
error-invalid = Please correct the highlighted fields.
error-too-many = You have sent several reports in a short time. Please try again in { $seconds } seconds.
error-cross-site = Reports are taken only from this page or the shop's own website; nothing was stored.
error-unavailable = We cannot take reports right now. Please try again in a minute, or call or message us.
error-internal = Something went wrong on our side. Please try again, or call or message us.
thank-you = Thank you! Your issue #{ $id } has been received. { promise }

## The public page

promise = We answer within { $hours ->
    [one] one hour
   *[other] { $hours } hours
}.
page-description = Report a problem with your { $shop } order, or reach our customer care team by phone, WhatsApp or email.
page-title = Customer care – { $shop }
page-title-received = Issue #{ $id } received – Customer care – { $shop }
page-title-error = Error: Customer care – { $shop }
language-switch = Language
skip-link = Skip to the report form
call-us = Call us
call-us-number = Call us: { $phone }
hero-eyebrow = Customer care
hero-title = How can we help?
hero-lead = Something wrong with an order? Tell us what happened and our team will sort it out with you.
confirmation-title = Thank you, we have received your report
confirmation-number = Your issue number is
confirmation-next = Please keep your issue number at hand if you call or write to us about it.
confirmation-status = On your issue's own page you can follow it, read our answer and write to us. Keep the link: it is the key to your issue.
confirmation-status-button = Open your issue's page
report-another = Report another issue
report-title = Report a problem
required-before = Fields marked
required-after = are required.
required-hidden = with an asterisk
label-name = Full name
label-email = Email address
label-phone = Phone number
label-order_id = Order number
label-issue_type = What is the problem?
label-priority = How urgent is it?
label-description = Describe the problem
optional = (optional)
hint-email = We send our answer here.
hint-phone = So we can call or WhatsApp you back.
hint-order_id = You find it in your order confirmation email.
choose-topic = Choose a topic…
hint-description = What happened, and what would you like us to do? At least { $min } characters.
honeypot-label = Leave this field empty
label-photos = Photos of the problem
photos-hint = Up to { $count } photos (JPEG, PNG, WebP or HEIC from a phone), at most { $mb } MB each.
photos-remove = Remove { $file }
send-report = Send report
privacy = We use these details only to handle your request.
other-ways = Other ways to reach us
talk-to-us = Talk to us
new-tab = (opens in a new tab)
channel-email = Email
hours-title = Shop hours
hours-note = Reports sent outside these hours are answered on the next working day. { promise }
faq-title = Frequently asked questions
footer = { $shop } customer care

## The page's script (its words come from the page, in the page's language)

js-sending = Sending…
js-dismiss = Dismiss message
js-check-form = Please check the form
js-not-sent = Your report was not sent
js-wait = Please wait a moment
js-our-side = Something went wrong on our side
js-unreachable-title = We could not reach the server
js-unreachable = We could not reach the server. Please check your connection and try again — what you typed is still here.
# { "{" }id{ "}" } and { "{" }status{ "}" } are filled in by the script
js-received = Issue #{ "{" }id{ "}" } received
js-server-answered = The server answered { "{" }status{ "}" }.
js-follow = Open your issue's page

## The status page

status-title = Issue #{ $id } – { $shop }
status-heading = Your issue #{ $id }
status-label = Status
status-type = Problem
status-reported = Reported
age-now = just now
age-minutes = { $n ->
    [one] a minute ago
   *[other] { $n } minutes ago
}
age-hours = { $n ->
    [one] an hour ago
   *[other] { $n } hours ago
}
age-days = { $n ->
    [one] a day ago
   *[other] { $n } days ago
}
status-answers = Our answers
status-no-answer = We have not answered yet. { promise }
status-timeline = What happened
step-created = You reported the problem.
step-status-open = Your issue is open again.
step-status-in-progress = We are working on it.
step-status-resolved = We marked your issue as resolved.
step-responded = We answered.
step-customer-message = You wrote:
step-satisfaction-yes = You told us that this solved your problem.
step-satisfaction-no = You told us that the problem is not solved.
status-write = Write to us
status-write-hint = Anything to add or ask? We see it at once.
status-write-reopens = Not solved after all? Write to us and we will pick your issue up again.
status-write-send = Send message
step-photos = { $count ->
    [one] One photo attached.
   *[other] { $count } photos attached.
}
status-message-received = Thank you, we have received your message.
satisfaction-question = Did this solve your problem?
satisfaction-yes = Yes, it is solved
satisfaction-no = No, it is not solved
satisfaction-comment = Anything you want to tell us? (optional)
satisfaction-send = Send answer
satisfaction-thanks = Thank you for your answer.
satisfaction-already = You have already answered this question.
status-back = Customer care
not-found-title = Page not found
not-found-text = We cannot find an issue for this link. Please check that you copied the whole link from our email or confirmation. A link stops working some time after its issue is resolved; to reach us, report the problem again or call or write to us.
too-many-lookups = You have opened many issue pages in a short time. Please try again in { $seconds } seconds.
status-unavailable = We cannot show your issue right now. Please try again in a minute.

## Emails

email-subject-confirmation = We have received your report (issue #{ $id })
email-subject-response = Our answer to your issue #{ $id }
email-subject-resolved = Your issue #{ $id } is resolved
email-greeting = Hello { $name },
email-confirmation = thank you for telling us about the problem with your order ({ $type }). Your issue number is #{ $id }. { promise }
email-response = here is our answer to your issue #{ $id } ({ $type }):
email-resolved = we have marked your issue #{ $id } ({ $type }) as resolved. If the problem is not solved, write to us on your issue's page and we will pick it up again.
email-link = Follow your issue, read our answers and write to us here:
email-link-button = Open your issue's page
email-satisfaction = Did this solve your problem? Tell us with one click on your issue's page.
email-signature = The { $shop } customer care team
email-contacts = Phone { $phone } · Email { $email }
email-why = You receive this email because you reported a problem with an order on our customer-care page.

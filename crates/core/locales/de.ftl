# Was CareDesk Kundinnen und Kunden sagt, auf Deutsch (die Gegenstücke zu en.ftl).

## Prüfung der Eingaben

field-name = { $field ->
    [name] Ihr Name
    [email] Die E-Mail-Adresse
    [phone] Die Telefonnummer
    [order_id] Die Bestellnummer
    [description] Die Beschreibung
    [message] Die Nachricht
    [comment] Der Kommentar
    [response] Die Antwort
   *[other] Dieses Feld
}
field-too-long = { field-name } ist zu lang (höchstens { $max } Zeichen).
field-one-line = { field-name } muss in eine Zeile passen.
field-control-chars = { field-name } enthält unsichtbare Steuerzeichen; bitte entfernen Sie sie.
name-missing = Bitte geben Sie Ihren Namen ein.
email-missing = Bitte geben Sie Ihre E-Mail-Adresse ein, damit wir Ihnen antworten können.
email-invalid = „{ $value }“ ist keine gültige E-Mail-Adresse (wie name@beispiel.de).
phone-missing = Bitte geben Sie eine Telefonnummer an, unter der wir Sie erreichen.
phone-invalid = „{ $value }“ ist keine Telefonnummer, die wir anrufen können; geben Sie die Ländervorwahl an, wenn es keine +{ $code }-Nummer ist.
description-missing = Bitte beschreiben Sie das Problem.
description-too-short = Bitte beschreiben Sie das Problem mit ein paar Worten mehr (mindestens { $min } Zeichen).
description-too-long = Bitte halten Sie die Beschreibung unter { $max } Zeichen (sie hat { $chars }).
message-missing = Bitte schreiben Sie Ihre Nachricht.
message-too-short = Bitte schreiben Sie ein paar Worte mehr (mindestens { $min } Zeichen).
message-too-long = Bitte halten Sie die Nachricht unter { $max } Zeichen (sie hat { $chars }).
comment-too-long = Bitte halten Sie den Kommentar unter { $max } Zeichen (er hat { $chars }).
response-missing = Die Antwort ist leer.
response-too-long = Die Antwort ist zu lang ({ $chars } Zeichen, höchstens { $max }).
note-missing = Die Notiz ist leer.
note-too-long = Die Notiz ist zu lang ({ $chars } Zeichen, höchstens { $max }).
reply-title-missing = Geben Sie der Textvorlage einen Titel.
reply-title-too-long = Der Titel ist zu lang ({ $chars } Zeichen, höchstens { $max }).
reply-title-one-line = Der Titel muss in eine Zeile passen.
reply-body-missing = Die Textvorlage hat keinen Text.
reply-body-too-long = Der Text ist zu lang ({ $chars } Zeichen, höchstens { $max }).
choice-unknown = „{ $value }“ ist { $what ->
    [IssueType] keine bekannte Problemart
    [Priority] keine bekannte Dringlichkeit
    [Status] kein bekannter Status
    [Language] keine bekannte Sprache
   *[other] keine bekannte Auswahl
}; möglich sind: { $choices }.
issue-type-missing = Bitte wählen Sie, worum es geht.
expected-text = Hier wird Text erwartet.
honeypot-filled = Lassen Sie dieses Feld leer.
photo-too-large = { $file } ist größer als { $mb } MB; bitte senden Sie ein kleineres Foto.
photo-not-image = { $file } ist kein Foto, das wir lesen können (JPEG, PNG, WebP oder HEIC).
photo-too-many-pixels = { $file } hat mehr als { $megapixels } Megapixel; bitte senden Sie ein kleineres Foto.
photos-too-many = Sie haben { $count } Fotos angehängt; höchstens { $max } können auf einmal gesendet werden.

## Ablehnung einer Meldung oder Nachricht als Ganzes

error-malformed = Die Anfrage konnte nicht gelesen werden: { $detail }
error-form-unreadable = das Formular konnte nicht gelesen werden; bitte versuchen Sie es noch einmal.
error-media-type = Senden Sie die Meldung als JSON (Content-Type: application/json).
error-too-large = Die Meldung ist zu groß. Bitte kürzen Sie die Beschreibung.
error-invalid = Bitte korrigieren Sie die markierten Felder.
error-too-many = Sie haben in kurzer Zeit mehrere Meldungen gesendet. Bitte versuchen Sie es in { $seconds } Sekunden noch einmal.
error-cross-site = Meldungen nehmen wir nur über diese Seite oder die Website des Shops an; es wurde nichts gespeichert.
error-unavailable = Wir können gerade keine Meldungen annehmen. Bitte versuchen Sie es in einer Minute noch einmal, oder rufen Sie uns an oder schreiben Sie uns.
error-internal = Bei uns ist etwas schiefgegangen. Bitte versuchen Sie es noch einmal, oder rufen Sie uns an oder schreiben Sie uns.
thank-you = Vielen Dank! Ihr Anliegen #{ $id } ist bei uns eingegangen. { promise }

## Die öffentliche Seite

promise = Wir antworten innerhalb { $hours ->
    [one] einer Stunde
   *[other] von { $hours } Stunden
}.
page-description = Melden Sie ein Problem mit Ihrer Bestellung bei { $shop }, oder erreichen Sie unseren Kundenservice per Telefon, WhatsApp oder E-Mail.
page-title = Kundenservice – { $shop }
page-title-received = Anliegen #{ $id } eingegangen – Kundenservice – { $shop }
page-title-error = Fehler: Kundenservice – { $shop }
language-switch = Sprache
skip-link = Zum Meldeformular springen
call-us = Anrufen
call-us-number = Rufen Sie uns an: { $phone }
hero-eyebrow = Kundenservice
hero-title = Wie können wir helfen?
hero-lead = Stimmt etwas mit einer Bestellung nicht? Schreiben Sie uns, was passiert ist, und unser Team kümmert sich mit Ihnen darum.
confirmation-title = Vielen Dank, wir haben Ihre Meldung erhalten
confirmation-number = Ihre Anliegennummer ist
confirmation-next = Bitte halten Sie Ihre Anliegennummer bereit, wenn Sie uns dazu anrufen oder schreiben.
confirmation-status = Auf der Seite Ihres Anliegens können Sie es verfolgen, unsere Antwort lesen und uns schreiben. Bewahren Sie den Link auf: Er ist der Schlüssel zu Ihrem Anliegen.
confirmation-status-button = Seite Ihres Anliegens öffnen
report-another = Ein weiteres Problem melden
report-title = Ein Problem melden
required-before = Mit
required-after = markierte Felder sind Pflichtfelder.
required-hidden = Sternchen
label-name = Vollständiger Name
label-email = E-Mail-Adresse
label-phone = Telefonnummer
label-order_id = Bestellnummer
label-issue_type = Worum geht es?
label-priority = Wie dringend ist es?
label-description = Beschreiben Sie das Problem
optional = (optional)
hint-email = Hierhin senden wir unsere Antwort.
hint-phone = Damit wir Sie anrufen oder per WhatsApp erreichen können.
hint-order_id = Sie finden sie in Ihrer Bestellbestätigung.
choose-topic = Thema wählen…
hint-description = Was ist passiert, und was sollen wir tun? Mindestens { $min } Zeichen.
honeypot-label = Dieses Feld leer lassen
label-photos = Fotos des Problems
photos-hint = Bis zu { $count } Fotos (JPEG, PNG, WebP oder HEIC vom Handy), je höchstens { $mb } MB.
photos-remove = { $file } entfernen
send-report = Meldung senden
privacy = Wir verwenden diese Angaben nur, um Ihr Anliegen zu bearbeiten.
other-ways = Andere Wege zu uns
talk-to-us = Sprechen Sie mit uns
new-tab = (öffnet in einem neuen Tab)
channel-email = E-Mail
hours-title = Öffnungszeiten
hours-note = Meldungen außerhalb dieser Zeiten beantworten wir am nächsten Werktag. { promise }
faq-title = Häufige Fragen
footer = Kundenservice von { $shop }

## Das Skript der Seite

js-sending = Wird gesendet…
js-dismiss = Meldung schließen
js-check-form = Bitte prüfen Sie das Formular
js-not-sent = Ihre Meldung wurde nicht gesendet
js-wait = Bitte warten Sie einen Moment
js-our-side = Bei uns ist etwas schiefgegangen
js-unreachable-title = Wir konnten den Server nicht erreichen
js-unreachable = Wir konnten den Server nicht erreichen. Bitte prüfen Sie Ihre Verbindung und versuchen Sie es noch einmal – Ihre Eingaben sind noch da.
js-received = Anliegen #{ "{" }id{ "}" } eingegangen
js-server-answered = Der Server antwortete mit { "{" }status{ "}" }.
js-follow = Seite Ihres Anliegens öffnen

## Die Seite eines Anliegens

status-title = Anliegen #{ $id } – { $shop }
status-heading = Ihr Anliegen #{ $id }
status-label = Status
status-type = Problem
status-reported = Gemeldet
age-now = gerade eben
age-minutes = { $n ->
    [one] vor einer Minute
   *[other] vor { $n } Minuten
}
age-hours = { $n ->
    [one] vor einer Stunde
   *[other] vor { $n } Stunden
}
age-days = { $n ->
    [one] vor einem Tag
   *[other] vor { $n } Tagen
}
status-answers = Unsere Antworten
status-no-answer = Wir haben noch nicht geantwortet. { promise }
status-timeline = Was bisher geschah
step-created = Sie haben das Problem gemeldet.
step-status-open = Ihr Anliegen ist wieder offen.
step-status-in-progress = Wir kümmern uns darum.
step-status-resolved = Wir haben Ihr Anliegen als gelöst markiert.
step-responded = Wir haben geantwortet.
step-customer-message = Sie schrieben:
step-satisfaction-yes = Sie haben uns gesagt, dass Ihr Problem gelöst ist.
step-satisfaction-no = Sie haben uns gesagt, dass das Problem nicht gelöst ist.
status-write = Schreiben Sie uns
status-write-hint = Möchten Sie etwas ergänzen oder fragen? Wir sehen es sofort.
status-write-reopens = Doch nicht gelöst? Schreiben Sie uns, und wir nehmen Ihr Anliegen wieder auf.
status-write-send = Nachricht senden
step-photos = { $count ->
    [one] Ein Foto angehängt.
   *[other] { $count } Fotos angehängt.
}
status-message-received = Vielen Dank, wir haben Ihre Nachricht erhalten.
satisfaction-question = Hat das Ihr Problem gelöst?
satisfaction-yes = Ja, es ist gelöst
satisfaction-no = Nein, es ist nicht gelöst
satisfaction-comment = Möchten Sie uns noch etwas sagen? (optional)
satisfaction-send = Antwort senden
satisfaction-thanks = Vielen Dank für Ihre Antwort.
satisfaction-already = Sie haben diese Frage bereits beantwortet.
status-back = Kundenservice
not-found-title = Seite nicht gefunden
not-found-text = Zu diesem Link finden wir kein Anliegen. Bitte prüfen Sie, ob Sie den ganzen Link aus unserer E-Mail oder Bestätigung kopiert haben. Ein Link gilt nur bis einige Zeit nach der Lösung seines Anliegens; um uns zu erreichen, melden Sie das Problem erneut, oder rufen Sie uns an oder schreiben Sie uns.
too-many-lookups = Sie haben in kurzer Zeit viele Anliegen-Seiten geöffnet. Bitte versuchen Sie es in { $seconds } Sekunden noch einmal.
status-unavailable = Wir können Ihr Anliegen gerade nicht anzeigen. Bitte versuchen Sie es in einer Minute noch einmal.

## E-Mails

email-subject-confirmation = Wir haben Ihre Meldung erhalten (Anliegen #{ $id })
email-subject-response = Unsere Antwort zu Ihrem Anliegen #{ $id }
email-subject-resolved = Ihr Anliegen #{ $id } ist gelöst
email-greeting = Hallo { $name },
email-confirmation = vielen Dank, dass Sie uns über das Problem mit Ihrer Bestellung informiert haben ({ $type }). Ihre Anliegennummer ist #{ $id }. { promise }
email-response = hier ist unsere Antwort zu Ihrem Anliegen #{ $id } ({ $type }):
email-resolved = wir haben Ihr Anliegen #{ $id } ({ $type }) als gelöst markiert. Ist das Problem nicht gelöst, schreiben Sie uns auf der Seite Ihres Anliegens, und wir nehmen es wieder auf.
email-link = Hier können Sie Ihr Anliegen verfolgen, unsere Antworten lesen und uns schreiben:
email-link-button = Seite Ihres Anliegens öffnen
email-satisfaction = Hat das Ihr Problem gelöst? Sagen Sie es uns mit einem Klick auf der Seite Ihres Anliegens.
email-signature = Ihr Kundenservice-Team von { $shop }
email-contacts = Telefon { $phone } · E-Mail { $email }
email-why = Sie erhalten diese E-Mail, weil Sie auf unserer Kundenservice-Seite ein Problem mit einer Bestellung gemeldet haben.

## Bezeichnungen (Englisch: core's eigene, in crates/core/src/domain)

IssueType-not_received = Bestellung nicht erhalten
IssueType-quality = Problem mit der Produktqualität
IssueType-wrong_item = Falscher Artikel geliefert
IssueType-damaged = Beschädigte Verpackung
IssueType-payment = Probleme mit der Zahlung
IssueType-refund = Erstattung/Rücksendung
IssueType-app = Probleme mit App/Website
IssueType-other = Sonstiges
Priority-normal = Normal
Priority-high = Hoch
Priority-urgent = Dringend
Status-open = Offen
Status-in-progress = In Bearbeitung
Status-resolved = Gelöst

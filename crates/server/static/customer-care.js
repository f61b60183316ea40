// CareDesk public customer-care page: what the browser cannot do by itself.
//
// Without this file the form posts to /customer-care and the server answers with a page.
// With it, the browser's own constraint validation (the required, maxlength, minlength and
// type attributes the server writes from its limits) is shown at each field instead of in
// bubbles, the report goes to /api/customer-care/report as JSON, the server's field errors
// are shown in place and the outcome in a toast. Photos the customer picks are listed with
// a preview and a remove button, and go with the report as multipart/form-data (the API's
// photo variant). It has no rules of its own: the server
// has the last word on every field. Text is always written with textContent, and every
// word it shows comes from the page (data-text-* on the form), in the page's language.
(() => {
  'use strict';

  const API_URL = '/api/customer-care/report';
  const REQUEST_TIMEOUT_MS = 70000; // the server gives a request 60 s (photos on a slow connection)
  const SUCCESS_TOAST_MS = 12000;

  function element(tag, className, text) {
    const el = document.createElement(tag);
    el.className = className;
    if (text) el.textContent = text;
    return el;
  }

  // ---- photos (the report form and the status page's message) ------------------------

  // Each pick adds to the files picked so far, each remove button takes one away, and the
  // input always holds exactly the listed files (so a plain form post sends just those).
  // The server checks and decides on every file (kind, size, count) when the form is sent.
  function enhancePhotoInput(input) {
    const previews = document.getElementById(input.dataset.previews);
    const removeLabel = input.dataset.textRemove || '{file}';
    let picked = [];

    function keep(files) {
      picked = files;
      const transfer = new DataTransfer();
      for (const file of picked) transfer.items.add(file);
      input.files = transfer.files;
      render();
    }

    function render() {
      if (!previews) return;
      previews.replaceChildren();
      previews.hidden = picked.length === 0;
      picked.forEach((file, index) => {
        const item = element('li', 'preview');
        item.dataset.testid = 'photo-preview';
        // data: URLs only (the page's CSP); a HEIC photo most browsers cannot show keeps its name
        if (file.type.startsWith('image/') && !/hei[cf]/i.test(file.type)) {
          const reader = new FileReader();
          reader.addEventListener('load', () => {
            const img = element('img', 'preview__image');
            img.alt = '';
            img.src = String(reader.result);
            item.prepend(img);
          });
          reader.readAsDataURL(file);
        }
        const remove = element('button', 'preview__remove', '×');
        remove.type = 'button';
        remove.setAttribute('aria-label', removeLabel.replace('{file}', file.name));
        remove.dataset.testid = 'photo-remove';
        remove.addEventListener('click', () => {
          keep(picked.filter((_, i) => i !== index));
          input.focus();
        });
        item.append(element('span', 'preview__name', file.name), remove);
        previews.append(item);
      });
    }

    input.addEventListener('change', () => keep(picked.concat(Array.from(input.files ?? []))));
    return { clear: () => keep([]) };
  }

  const photoInputs = new Map(
    Array.from(document.querySelectorAll('input[type="file"][data-previews]'), (input) => [input, enhancePhotoInput(input)]),
  );

  const form = document.getElementById('report-form');
  const toastEl = document.querySelector('[data-testid="toast"]');
  document.documentElement.classList.add('js');
  if (!form) return; // the confirmation page has no form to enhance

  const fields = Array.from(form.querySelectorAll('[data-field]'), (el) => el.name);
  const submitButton = form.querySelector('[data-testid="submit"]');
  const submitLabel = submitButton ? submitButton.querySelector('.button__label') : null;
  const idleLabel = submitLabel ? submitLabel.textContent : '';
  const counter = document.getElementById('description-counter');
  const serverSummary = document.getElementById('form-message');
  const words = form.dataset; // data-text-sending → words.textSending
  let sending = false;
  let toastTimer = 0;

  const control = (field) => form.elements.namedItem(field);

  // ---- field errors --------------------------------------------------------------------

  function setFieldError(field, messages) {
    const box = document.getElementById(`error-${field}`);
    const el = control(field);
    const text = [].concat(messages).filter((m) => typeof m === 'string' && m.trim()).join(' ');
    if (box) box.textContent = text;
    if (text) el?.setAttribute('aria-invalid', 'true');
    else el?.removeAttribute('aria-invalid');
    return Boolean(text);
  }

  function focusField(field) {
    const el = control(field);
    el?.focus();
    el?.scrollIntoView?.({ block: 'center' });
  }

  /** The browser's verdict on every field at once; focuses the first problem. */
  function showBrowserVerdict() {
    const bad = fields.filter((field) => setFieldError(field, control(field)?.validationMessage ?? ''));
    if (bad.length) {
      showToast('error', words.textCheckForm, words.textInvalid);
      focusField(bad[0]);
    }
  }

  // The browser's constraint check blocks the submit: show its messages in place of its
  // bubbles. All `invalid` events of one attempt come in one task, so one pass covers them.
  let verdictPending = false;
  form.addEventListener(
    'invalid',
    (event) => {
      event.preventDefault();
      if (verdictPending) return;
      verdictPending = true;
      setTimeout(() => {
        verdictPending = false;
        if (serverSummary) serverSummary.hidden = true;
        showBrowserVerdict();
      }, 0);
    },
    true,
  );

  // A flagged field is checked again as it is corrected.
  function recheck(event) {
    const el = event.target;
    if (el?.name === 'description') updateCounter();
    if (fields.includes(el?.name) && el.getAttribute('aria-invalid') === 'true') {
      setFieldError(el.name, el.validationMessage);
    }
  }
  form.addEventListener('input', recheck);
  form.addEventListener('change', recheck);

  // Characters as the server counts them (code points), against the field's maxlength.
  function updateCounter() {
    const el = control('description');
    if (!counter || !el) return;
    counter.textContent = `${Array.from(el.value).length} / ${el.maxLength}`;
  }
  updateCounter();

  // ---- toast ---------------------------------------------------------------------------

  function clearToast() {
    clearTimeout(toastTimer);
    toastEl?.replaceChildren();
    if (toastEl) toastEl.className = 'toast';
  }


  /** `link`: {href, label} to offer under the text (the issue's status page). */
  function showToast(kind, title, text, link) {
    if (!toastEl) return;
    clearToast();
    toastEl.classList.add(kind === 'success' ? 'toast--success' : 'toast--error');
    const icon = element('span', 'toast__icon', kind === 'success' ? '✓' : '!');
    icon.setAttribute('aria-hidden', 'true');
    const body = element('div', 'toast__body');
    body.append(element('strong', 'toast__title', title));
    if (text && text !== title) body.append(element('span', 'toast__text', text));
    if (link?.href) {
      const a = element('a', 'toast__link', link.label);
      a.href = link.href;
      a.dataset.testid = 'toast-status-link';
      body.append(a);
    }
    const close = element('button', 'toast__close', '×');
    close.type = 'button';
    close.setAttribute('aria-label', words.textDismiss);
    close.addEventListener('click', clearToast);
    toastEl.append(icon, body, close);
    // a toast with the status link stays until dismissed: the link is the key to the issue
    if (kind === 'success' && !link) scheduleToastHide();
  }

  // Success toasts leave by themselves, but not while the customer is reading or on them.
  function scheduleToastHide() {
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => {
      if (toastEl.matches(':hover') || toastEl.contains(document.activeElement)) scheduleToastHide();
      else clearToast();
    }, SUCCESS_TOAST_MS);
  }

  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && toastEl?.childElementCount) clearToast();
  });

  // ---- sending -------------------------------------------------------------------------

  function setBusy(busy) {
    sending = busy;
    form.setAttribute('aria-busy', String(busy));
    if (!submitButton) return;
    submitButton.disabled = busy;
    submitButton.toggleAttribute('aria-busy', busy);
    if (submitLabel) submitLabel.textContent = busy ? words.textSending : idleLabel;
  }

  /** The form as the API takes it: every field as typed (the server trims), as JSON, or
   * with photos as the multipart variant (the browser writes its Content-Type). */
  function payload() {
    const data = new FormData(form);
    const photos = data.getAll('photos').filter((file) => file instanceof File && (file.size > 0 || file.name));
    if (photos.length > 0) return { headers: {}, body: data };
    data.delete('photos');
    return { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(Object.fromEntries(data)) };
  }

  async function send() {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), REQUEST_TIMEOUT_MS);
    setBusy(true);
    let response;
    let data = null;
    try {
      const { headers, body } = payload();
      response = await fetch(API_URL, {
        method: 'POST',
        headers: { ...headers, Accept: 'application/json' },
        body,
        credentials: 'same-origin',
        signal: controller.signal,
      });
      data = await response.json().catch(() => null);
    } catch {
      showToast('error', words.textUnreachableTitle, words.textUnreachable);
      return;
    } finally {
      clearTimeout(timer);
      setBusy(false);
    }

    if (response.ok && data?.success) {
      for (const field of fields) {
        control(field).value = control(field).dataset.default ?? '';
        setFieldError(field, []);
      }
      photoInputs.forEach((photos) => photos.clear());
      updateCounter();
      showToast('success', words.textReceived.replace('{id}', data.issue_id), data.message, {
        href: data.status_url,
        label: words.textFollow,
      });
      return;
    }

    // The server's words, at each field it names and in the toast.
    const errors = data?.errors && typeof data.errors === 'object' ? data.errors : {};
    const bad = fields.filter((field) => setFieldError(field, errors[field] ?? []));
    const others = Object.keys(errors).filter((field) => !fields.includes(field)).flatMap((f) => errors[f]);
    let title = bad.length ? words.textCheckForm : words.textNotSent;
    if (response.status === 429) title = words.textWait;
    if (response.status >= 500) title = words.textOurSide;
    const message =
      typeof data?.message === 'string' && data.message.trim() ? data.message : words.textServerAnswered.replace('{status}', response.status);
    showToast('error', title, [message, ...others].join(' '));
    if (bad.length) focusField(bad[0]);
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (sending) return;
    if (serverSummary) serverSummary.hidden = true;
    send();
  });

  form.dataset.enhanced = 'true';
})();

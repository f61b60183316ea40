// CareDesk public customer-care page: progressive enhancement of the report form.
//
// Without this file the form still posts to /customer-care and the server re-renders the
// page. With it, the form is validated here (same rules and limits as the markup), sent as
// JSON to /api/customer-care/report, and the outcome shown in a toast without a reload.
// All customer and server text is written with textContent, never as HTML.
(() => {
  'use strict';

  const API_URL = '/api/customer-care/report';
  const REQUEST_TIMEOUT_MS = 20000;
  const SUCCESS_TOAST_MS = 12000;
  const FIELDS = ['name', 'email', 'phone', 'order_id', 'issue_type', 'priority', 'description'];
  // Deliberately loose: one @, no spaces, a dot in the domain. The server has the last word.
  const EMAIL_SHAPE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
  const MIN_PHONE_DIGITS = 5;

  const form = document.getElementById('report-form');
  const toastEl = document.querySelector('[data-testid="toast"]');
  document.documentElement.classList.add('js');
  if (!form) return; // the confirmation page has no form to enhance

  const submitButton = form.querySelector('[data-testid="submit"]');
  const submitLabel = submitButton ? submitButton.querySelector('.button__label') : null;
  const idleLabel = submitLabel ? submitLabel.textContent : '';
  const counter = document.getElementById('description-counter');
  const serverSummary = document.getElementById('form-message');

  let sending = false;
  let invalidBurst = false;
  let toastTimer = 0;

  const control = (field) => form.elements.namedItem(field);
  const valueOf = (field) => {
    const el = control(field);
    return el && typeof el.value === 'string' ? el.value : '';
  };
  // Rust counts chars (code points); String#length counts UTF-16 units.
  const charCount = (text) => Array.from(text).length;
  const intAttr = (el, name) => {
    const raw = el ? el.getAttribute(name) : null;
    const n = raw === null ? NaN : Number.parseInt(raw, 10);
    return Number.isFinite(n) && n >= 0 ? n : null;
  };

  // ---- field errors ------------------------------------------------------------------

  function setFieldError(field, messages) {
    const box = document.getElementById(`error-${field}`);
    const el = control(field);
    const text = (Array.isArray(messages) ? messages : [messages])
      .filter((m) => typeof m === 'string' && m.trim() !== '')
      .join(' ');
    if (box) box.textContent = text;
    if (el && el.setAttribute) {
      if (text) el.setAttribute('aria-invalid', 'true');
      else el.removeAttribute('aria-invalid');
    }
    return Boolean(text);
  }

  function clearAllErrors() {
    FIELDS.forEach((f) => setFieldError(f, []));
  }

  function hideServerSummary() {
    if (serverSummary) serverSummary.hidden = true;
  }

  function focusField(field) {
    const el = control(field);
    if (el && typeof el.focus === 'function') {
      el.focus();
      if (typeof el.scrollIntoView === 'function') el.scrollIntoView({ block: 'center' });
    }
  }

  // ---- client-side validation ----------------------------------------------------------

  function validateField(field) {
    const el = control(field);
    if (!el) return [];
    const raw = valueOf(field);
    const value = raw.trim();
    const max = intAttr(el, 'maxlength');
    const errors = [];

    switch (field) {
      case 'name':
        if (!value) errors.push('Please enter your name.');
        break;
      case 'email':
        if (!value) errors.push('Please enter your email address.');
        else if (!EMAIL_SHAPE.test(value)) {
          errors.push('Please enter a valid email address, like name@example.com.');
        }
        break;
      case 'phone':
        if (!value) errors.push('Please enter your phone number.');
        else if ((value.match(/\d/g) || []).length < MIN_PHONE_DIGITS) {
          errors.push('Please enter a phone number we can call you back on.');
        }
        break;
      case 'issue_type':
        if (!value) errors.push('Please choose what the problem is about.');
        break;
      case 'description': {
        const min = intAttr(el, 'minlength');
        const n = charCount(value);
        if (!value) errors.push('Please describe the problem.');
        else if (min !== null && n < min) {
          errors.push(`Please describe the problem in a few more words (at least ${min} characters, now ${n}).`);
        }
        break;
      }
      default:
        break;
    }
    if (errors.length === 0 && max !== null && field !== 'issue_type' && field !== 'priority') {
      const n = charCount(value);
      if (n > max) errors.push(`Please keep this under ${max} characters (it has ${n}).`);
    }
    // Whatever the browser still objects to (its email rules are stricter than ours).
    if (errors.length === 0 && el.validity && !el.validity.valid && el.validationMessage) {
      errors.push(el.validationMessage);
    }
    return errors;
  }

  /** Shows every field's problem at once; focuses the first. Returns true when valid. */
  function validateAll() {
    let first = null;
    FIELDS.forEach((field) => {
      const bad = setFieldError(field, validateField(field));
      if (bad && first === null) first = field;
    });
    if (first !== null) {
      showToast('error', 'Please check the form', 'Please correct the highlighted fields.');
      focusField(first);
      return false;
    }
    return true;
  }

  // The browser's own constraint check (required, type=email, minlength…) blocks the submit
  // event: show our messages in place of its bubbles. All `invalid` events of one attempt
  // arrive in the same task, so one validateAll() after them covers the whole form.
  form.addEventListener(
    'invalid',
    (event) => {
      event.preventDefault();
      if (invalidBurst) return;
      invalidBurst = true;
      setTimeout(() => {
        invalidBurst = false;
        hideServerSummary();
        validateAll();
      }, 0);
    },
    true,
  );

  // Once a field has been flagged, re-check it as the customer corrects it.
  function recheck(event) {
    const el = event.target;
    if (!el || !el.name || !FIELDS.includes(el.name)) return;
    if (el.name === 'description') updateCounter();
    if (el.getAttribute('aria-invalid') === 'true') setFieldError(el.name, validateField(el.name));
  }
  form.addEventListener('input', recheck);
  form.addEventListener('change', recheck);

  function updateCounter() {
    const el = control('description');
    if (!counter || !el) return;
    const max = intAttr(el, 'maxlength');
    const min = intAttr(el, 'minlength');
    const n = charCount(el.value);
    counter.textContent = max === null ? String(n) : `${n} / ${max}`;
    counter.classList.toggle('counter--warn', (max !== null && n > max * 0.95) || (n > 0 && min !== null && n < min));
  }
  updateCounter();

  // ---- toast ---------------------------------------------------------------------------

  function clearToast() {
    clearTimeout(toastTimer);
    if (!toastEl) return;
    toastEl.replaceChildren();
    toastEl.className = 'toast';
  }

  function showToast(kind, title, text) {
    if (!toastEl) return;
    clearToast();
    toastEl.classList.add(kind === 'success' ? 'toast--success' : 'toast--error');

    const icon = document.createElement('span');
    icon.className = 'toast__icon';
    icon.setAttribute('aria-hidden', 'true');
    icon.textContent = kind === 'success' ? '✓' : '!';

    const body = document.createElement('div');
    body.className = 'toast__body';
    const strong = document.createElement('strong');
    strong.className = 'toast__title';
    strong.textContent = title;
    body.append(strong);
    if (text && text !== title) {
      const p = document.createElement('span');
      p.className = 'toast__text';
      p.textContent = text;
      body.append(p);
    }

    const close = document.createElement('button');
    close.type = 'button';
    close.className = 'toast__close';
    close.setAttribute('aria-label', 'Dismiss message');
    close.textContent = '×';
    close.addEventListener('click', clearToast);

    toastEl.append(icon, body, close);
    if (kind === 'success') scheduleToastHide();
  }

  // Success toasts leave by themselves, but not while the customer is reading or on them.
  function scheduleToastHide() {
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => {
      if (toastEl && (toastEl.matches(':hover') || toastEl.contains(document.activeElement))) {
        scheduleToastHide();
      } else {
        clearToast();
      }
    }, SUCCESS_TOAST_MS);
  }

  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && toastEl && toastEl.childElementCount > 0) clearToast();
  });

  // ---- sending -------------------------------------------------------------------------

  function setBusy(busy) {
    sending = busy;
    if (!submitButton) return;
    submitButton.disabled = busy;
    if (busy) submitButton.setAttribute('aria-busy', 'true');
    else submitButton.removeAttribute('aria-busy');
    if (submitLabel) submitLabel.textContent = busy ? 'Sending…' : idleLabel;
    form.setAttribute('aria-busy', busy ? 'true' : 'false');
  }

  function payload() {
    const body = {
      name: valueOf('name').trim(),
      email: valueOf('email').trim(),
      phone: valueOf('phone').trim(),
      issue_type: valueOf('issue_type'),
      description: valueOf('description').trim(),
      website: valueOf('website'),
    };
    const orderId = valueOf('order_id').trim();
    if (orderId) body.order_id = orderId;
    const priority = valueOf('priority');
    if (priority) body.priority = priority;
    return body;
  }

  function resetForm() {
    FIELDS.concat('website').forEach((field) => {
      const el = control(field);
      if (!el) return;
      if (el.tagName === 'SELECT') {
        el.value = el.dataset.default || '';
      } else {
        el.value = '';
      }
    });
    clearAllErrors();
    updateCounter();
  }

  function retryText(response) {
    const after = Number.parseInt(response.headers.get('Retry-After') || '', 10);
    if (Number.isFinite(after) && after > 0) {
      return `Too many reports from your connection. Please try again in ${after} seconds.`;
    }
    return 'Too many reports from your connection. Please try again in a minute.';
  }

  async function send() {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), REQUEST_TIMEOUT_MS);
    setBusy(true);
    let response;
    try {
      response = await fetch(API_URL, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify(payload()),
        credentials: 'same-origin',
        signal: controller.signal,
      });
    } catch (_networkError) {
      clearTimeout(timer);
      setBusy(false);
      showToast(
        'error',
        'We could not reach the server',
        'We could not reach the server. Please check your connection and try again — what you typed is still here.',
      );
      return;
    }

    let data = null;
    try {
      data = await response.json();
    } catch (_notJson) {
      data = null;
    }
    clearTimeout(timer);
    setBusy(false);

    if (response.ok && data && data.success !== false) {
      const id = data.issue_id;
      const message =
        typeof data.message === 'string' && data.message.trim()
          ? data.message
          : `Thank you! Your issue #${id} has been received.`;
      resetForm();
      showToast('success', `Issue #${id} received`, message);
      return;
    }

    const serverMessage = data && typeof data.message === 'string' && data.message.trim() ? data.message : '';
    let first = null;
    clearAllErrors();
    const extra = [];
    if (data && data.errors && typeof data.errors === 'object') {
      Object.keys(data.errors).forEach((field) => {
        const messages = data.errors[field];
        if (FIELDS.includes(field)) {
          if (setFieldError(field, messages) && (first === null || FIELDS.indexOf(field) < FIELDS.indexOf(first))) {
            first = field;
          }
        } else if (Array.isArray(messages)) {
          extra.push(...messages.filter((m) => typeof m === 'string'));
        }
      });
    }

    let title;
    let text;
    if (response.status === 429) {
      title = 'Please wait a moment';
      text = serverMessage || retryText(response);
    } else if (response.status >= 500) {
      title = 'Something went wrong on our side';
      text = serverMessage || 'Your report was not saved. Please try again in a moment, or call us.';
    } else {
      title = first !== null ? 'Please check the form' : 'Your report was not sent';
      text = serverMessage || (first !== null ? 'Please correct the highlighted fields.' : `The server answered ${response.status}.`);
    }
    if (extra.length) text = `${text} ${extra.join(' ')}`;
    showToast('error', title, text);
    if (first !== null) focusField(first);
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (sending) return;
    hideServerSummary();
    // `novalidate` on the form means "do not validate on the client": honour it here too.
    if (form.noValidate) clearAllErrors();
    else if (!validateAll()) return;
    send();
  });

  form.dataset.enhanced = 'true';
})();

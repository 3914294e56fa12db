// The console's one script: no inline script is allowed (Content-Security-Policy), so behaviour lives here.
'use strict';

document.addEventListener('DOMContentLoaded', () => {
  for (const form of document.querySelectorAll('form[method="post"]')) {
    form.addEventListener('submit', (event) => submitOnce(form, event));
  }
});

// A second click must not act twice: the buttons are disabled at once, and a form with an idempotency key
// sends it, so that even a request repeated by the network is answered, not done, a second time.
function submitOnce(form, event) {
  const buttons = form.querySelectorAll('button[type="submit"]');
  if (form.dataset.submitted === 'true') {
    event.preventDefault();
    return;
  }
  form.dataset.submitted = 'true';
  const key = form.dataset.idempotencyKey;
  if (!key) {
    buttons.forEach((button) => { button.disabled = true; });
    return;
  }
  event.preventDefault();
  buttons.forEach((button) => { button.disabled = true; });
  fetch(form.action, {
    method: 'POST',
    body: new URLSearchParams(new FormData(form)),
    headers: { 'Idempotency-Key': key },
    credentials: 'same-origin',
  }).then(async (response) => {
    if (response.ok && response.redirected) {
      window.location.assign(response.url);
      return;
    }
    // A refusal is a page of its own (409, 404 ...): show it in place.
    const page = new DOMParser().parseFromString(await response.text(), 'text/html');
    document.title = page.title;
    document.body.replaceWith(document.adoptNode(page.body));
  }).catch(() => {
    form.dataset.submitted = 'false';
    buttons.forEach((button) => { button.disabled = false; });
  });
}

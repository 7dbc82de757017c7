// The sign-in form: asks the server for a dev token and hands it to the chat.
import { NAME_RE, requestDevToken } from '../client/switchboard.js';
import { $, show, storageGet, storageSet } from './dom.js';

const MAX_DISPLAY_NAME = 100;                    // contract: `name` claim
const STORAGE_USER = 'switchboard.user';
const STORAGE_NAME = 'switchboard.name';

export class Login {
  /** @param {(user: string, name: string, token: {token: string, expiresAt: number}) => void} onSignedIn */
  constructor(onSignedIn) {
    this.onSignedIn = onSignedIn;
    $('login-user').value = storageGet(STORAGE_USER) || '';
    $('login-name').value = storageGet(STORAGE_NAME) || '';
    $('login-form').addEventListener('submit', (event) => this.submit(event));
  }

  show() {
    show($('chat-view'), false);
    show($('login-view'), true);
    document.title = 'Switchboard';
    $('login-user').focus();
  }

  hide() {
    show($('login-view'), false);
    show($('chat-view'), true);
  }

  focus() {
    ($('login-user').value ? $('login-name') : $('login-user')).focus();
  }

  async submit(event) {
    event.preventDefault();
    const user = $('login-user').value.trim();
    const name = $('login-name').value.trim();
    if (!NAME_RE.test(user)) {
      this.showError('The user id must be 1–64 letters, digits, “_” or “-” (no spaces or dots).');
      $('login-user').focus();
      return;
    }
    if (name.length > MAX_DISPLAY_NAME) {
      this.showError(`The display name can be at most ${MAX_DISPLAY_NAME} characters.`);
      return;
    }
    this.showError(null);
    this.setBusy(true);
    try {
      const token = await requestDevToken(document.baseURI, user, name);
      storageSet(STORAGE_USER, user);
      storageSet(STORAGE_NAME, name || null);
      this.onSignedIn(user, name, token);
    } catch (error) {
      this.showError(error.status ? `${error.message} (HTTP ${error.status})` : error.message);
    } finally {
      this.setBusy(false);
    }
  }

  showError(message) {
    const box = $('login-error');
    box.textContent = message || '';
    show(box, Boolean(message));
  }

  setBusy(busy) {
    const button = $('login-button');
    button.disabled = busy;
    button.textContent = busy ? 'Signing in…' : 'Sign in';
  }
}

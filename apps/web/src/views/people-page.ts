import type { PendingInvitation, Person, Role } from '@gallery/api-client';
import { h } from '../dom';
import { createNotices, field, pageFrame, type PageDeps } from './page-frame';

const roleSelect = (id: string, role: Role) => {
  const select = h(
    'select',
    { id },
    h('option', { value: 'member' }, 'Member'),
    h('option', { value: 'admin' }, 'Administrator'),
  );
  select.value = role;
  return select;
};

/**
 * The people who share the gallery, for administrators: add someone or invite them, change
 * their role, disable or enable them, reset their password.
 */
export function renderPeoplePage({ api, user, navigate, onUnauthorized }: PageDeps): HTMLElement {
  const rows = h('tbody', { 'data-testid': 'people-rows' });
  const { elements: notices, say, fail } = createNotices('people', onUnauthorized);

  function row(person: Person): HTMLTableRowElement {
    const role = roleSelect(`role-${person.id}`, person.role);
    role.setAttribute('aria-label', `Role of ${person.username}`);
    role.addEventListener('change', () =>
      api.changePerson(person.id, { role: role.value as Role }).then(
        (changed) => {
          say(
            `${changed.username} is now ${changed.role === 'admin' ? 'an administrator' : 'a member'}.`,
          );
          void load();
        },
        (cause: unknown) => {
          role.value = person.role;
          fail(cause);
        },
      ),
    );
    const toggle = h(
      'button',
      { type: 'button', 'data-testid': 'person-toggle' },
      person.disabled ? 'Enable' : 'Disable',
    );
    toggle.setAttribute(
      'aria-label',
      `${person.disabled ? 'Enable' : 'Disable'} ${person.username}`,
    );
    toggle.addEventListener('click', () =>
      api.changePerson(person.id, { disabled: !person.disabled }).then((changed) => {
        say(
          `${changed.username} is ${changed.disabled ? 'disabled: their sessions have ended' : 'enabled'}.`,
        );
        void load();
      }, fail),
    );
    const reset = h('button', { type: 'button', 'data-testid': 'person-reset' }, 'Reset password');
    reset.setAttribute('aria-label', `Reset password of ${person.username}`);
    reset.addEventListener('click', () => {
      const password = prompt(`A new password for ${person.username} (8 characters at least):`);
      if (password === null) return;
      api
        .resetPassword(person.id, password)
        .then(
          () => say(`${person.username}'s password is reset: their sessions have ended.`),
          fail,
        );
    });
    return h(
      'tr',
      { 'data-testid': 'person-row', 'data-username': person.username },
      h('th', { scope: 'row' }, person.username, person.id === user.id ? ' (you)' : ''),
      h('td', {}, role),
      h('td', {}, person.disabled ? 'Disabled' : 'Active'),
      h('td', { class: 'actions' }, toggle, reset),
    );
  }

  const pending = h('ul', { class: 'invitations', 'data-testid': 'invitations' });
  function invitationItem(invitation: PendingInvitation): HTMLLIElement {
    const revoke = h('button', { type: 'button', 'data-testid': 'invitation-revoke' }, 'Revoke');
    revoke.addEventListener('click', () =>
      api.revokeInvitation(invitation.id).then(() => {
        say('Invitation revoked: its link no longer works.');
        void load();
      }, fail),
    );
    const role = invitation.role === 'admin' ? 'an administrator' : 'a member';
    return h(
      'li',
      { 'data-testid': 'invitation' },
      `For ${role}, made by ${invitation.createdBy}, expires ${new Date(invitation.expiresAt).toLocaleString()} `,
      revoke,
    );
  }

  const load = () =>
    Promise.all([api.listPeople(), api.listInvitations()]).then(([people, invitations]) => {
      rows.replaceChildren(...people.map(row));
      pending.replaceChildren(...invitations.map(invitationItem));
      pendingTitle.hidden = invitations.length === 0;
    }, fail);
  const pendingTitle = h('h3', {}, 'Open invitations');

  const name = h('input', {
    id: 'person-name',
    required: true,
    maxlength: 60,
    autocomplete: 'off',
    'data-testid': 'person-name',
  });
  const password = h('input', {
    id: 'person-password',
    type: 'password',
    required: true,
    minlength: 8,
    autocomplete: 'new-password',
    'data-testid': 'person-password',
  });
  const role = roleSelect('person-role', 'member');
  const add = h(
    'form',
    { class: 'stack', 'aria-labelledby': 'add-title' },
    h('h2', { id: 'add-title' }, 'Add someone'),
    field('Name', name),
    field('First password', password),
    field('Role', role),
    h('button', { type: 'submit', class: 'primary', 'data-testid': 'person-add' }, 'Add'),
  );
  add.addEventListener('submit', (event) => {
    event.preventDefault();
    api.addPerson(name.value.trim(), password.value, role.value as Role).then((person) => {
      say(`${person.username} can sign in now.`);
      add.reset();
      void load();
    }, fail);
  });

  const inviteRole = roleSelect('invite-role', 'member');
  const link = h('input', { id: 'invite-link', readonly: true, 'data-testid': 'invite-link' });
  const linkField = field('Invitation link (shown once: send it to them)', link);
  linkField.hidden = true;
  const invite = h(
    'form',
    { class: 'stack', 'aria-labelledby': 'invite-title' },
    h('h2', { id: 'invite-title' }, 'Invite someone'),
    h(
      'p',
      { class: 'hint' },
      'They choose their own name and password. The link works once, for 72 hours.',
    ),
    field('Role', inviteRole),
    h('button', { type: 'submit', 'data-testid': 'invite-create' }, 'Make an invitation link'),
    linkField,
    pendingTitle,
    pending,
  );
  invite.addEventListener('submit', (event) => {
    event.preventDefault();
    api.invite(inviteRole.value as Role).then((made) => {
      link.value = new URL(made.path, location.origin).href;
      linkField.hidden = false;
      link.select();
      say(`Invitation made; it expires ${new Date(made.expiresAt).toLocaleString()}.`);
      void load();
    }, fail);
  });

  void load();
  document.title = 'People · Gallery';
  return pageFrame(
    'People',
    navigate,
    ...notices,
    h(
      'table',
      { class: 'people', 'aria-label': 'People' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { scope: 'col' }, 'Name'),
          h('th', { scope: 'col' }, 'Role'),
          h('th', { scope: 'col' }, 'Status'),
          h('th', { scope: 'col' }, 'Actions'),
        ),
      ),
      rows,
    ),
    h('div', { class: 'columns' }, add, invite),
  );
}

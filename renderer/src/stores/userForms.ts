import {
  SCRAM_ITERATIONS,
  ScramIterations,
  ScramPassword,
  ScramUserName,
  type ChannelInput,
  type ScramMechanism,
  type ScramUser,
} from '../../../electron/contract';

/** The SCRAM user dialog's fields: a new user's credential, or a new password for one it has. */
export interface UserForm {
  name: string;
  mechanism: ScramMechanism;
  iterations: number | null;
  password: string;
  /** The password typed again: a typo would lock the user out. */
  confirm: string;
}

export type UserField = 'name' | 'iterations' | 'password' | 'confirm';

export const emptyUserForm = (): UserForm => ({
  name: '',
  mechanism: 'SCRAM-SHA-512',
  iterations: SCRAM_ITERATIONS.default,
  password: '',
  confirm: '',
});

/** The form for a new password of `mechanism`, its iterations as the user has them. */
export function changeForm(user: ScramUser, mechanism?: ScramMechanism): UserForm {
  const c = user.credentials.find((x) => x.mechanism === mechanism) ?? user.credentials[0];
  return {
    ...emptyUserForm(),
    name: user.name,
    mechanism: c?.mechanism ?? 'SCRAM-SHA-512',
    iterations: c?.iterations ?? SCRAM_ITERATIONS.default,
  };
}

type UpsertInput = Omit<ChannelInput<'users.upsert'>, 'id'>;

/** The request the form makes, or what is wrong at each field (the contract's own checks; the password is never quoted). */
export function userDraft(
  form: UserForm,
  mode: 'create' | 'change',
): { input: UpsertInput } | { problems: Partial<Record<UserField, string>> } {
  const problems: Partial<Record<UserField, string>> = {};
  const first = (r: { success: boolean; error?: { issues: { message: string }[] } }) =>
    r.success ? null : (r.error?.issues[0]?.message ?? 'not valid');
  const name = first(ScramUserName.safeParse(form.name));
  if (name) problems.name = name;
  const iterations = form.iterations === null ? 'required' : first(ScramIterations.safeParse(form.iterations));
  if (iterations) problems.iterations = iterations;
  const password = first(ScramPassword.safeParse(form.password));
  if (password) problems.password = password;
  else if (form.confirm !== form.password) problems.confirm = 'not the same password';
  if (Object.keys(problems).length) return { problems };
  return {
    input: {
      name: form.name,
      mechanism: form.mechanism,
      iterations: form.iterations!,
      password: form.password,
      mode,
    },
  };
}

/** "SCRAM-SHA-512 · 8192" for a credential. */
export const credentialLabel = (c: { mechanism: ScramMechanism; iterations: number }) =>
  `${c.mechanism} · ${c.iterations.toLocaleString('en-US')}`;

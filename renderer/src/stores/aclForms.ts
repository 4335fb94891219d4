import {
  ACL_OPERATIONS,
  ACL_RESOURCE_TYPES,
  AclBindingInput,
  AclFilter,
  AclRecipe,
  CLUSTER_RESOURCE_NAME,
  OPERATIONS_BY_RESOURCE,
  expandRecipe,
  principalOf,
  type AclBinding,
  type AclBindingSpec,
  type AclFilterInput,
  type AclOperation,
  type AclPatternType,
  type AclResourceType,
  type AppError,
} from '../../../electron/contract';

/** The ACLs screen's filter bar: empty text and ANY match anything. */
export interface AclFilterForm {
  principal: string;
  host: string;
  resourceType: 'ANY' | AclResourceType;
  resourceName: string;
  patternType: 'ANY' | 'MATCH' | 'LITERAL' | 'PREFIXED';
  operation: 'ANY' | AclOperation;
  permission: 'ANY' | 'ALLOW' | 'DENY';
}

export const emptyFilterForm = (): AclFilterForm => ({
  principal: '',
  host: '',
  resourceType: 'ANY',
  resourceName: '',
  patternType: 'ANY',
  operation: 'ANY',
  permission: 'ANY',
});

/** The filter the bar describes (a bare principal name is a user), or why it is not one. */
export function filterInput(form: AclFilterForm): { filter: AclFilterInput } | { problem: string } {
  const principal = principalOf(form.principal);
  const filter: AclFilterInput = {
    resourceType: form.resourceType,
    patternType: form.patternType,
    operation: form.operation,
    permission: form.permission,
    ...(principal ? { principal } : {}),
    ...(form.host.trim() ? { host: form.host.trim() } : {}),
    ...(form.resourceName.trim() ? { resourceName: form.resourceName.trim() } : {}),
  };
  const parsed = AclFilter.safeParse(filter);
  if (parsed.success) return { filter };
  const issue = parsed.error.issues[0]!;
  return { problem: `${String(issue.path[0] ?? 'filter')}: ${issue.message}` };
}

/** Whether the bar narrows the list at all (a delete of "every ACL" is offered only for a narrowed list). */
export const isFiltered = (form: AclFilterForm): boolean =>
  JSON.stringify({
    ...form,
    principal: form.principal.trim(),
    host: form.host.trim(),
    resourceName: form.resourceName.trim(),
  }) !== JSON.stringify(emptyFilterForm());

/** The options of the filter bar and the free form, in Kafka's words. */
export const RESOURCE_LABELS: Record<AclResourceType, string> = {
  TOPIC: 'Topic',
  GROUP: 'Group',
  CLUSTER: 'Cluster',
  TRANSACTIONAL_ID: 'Transactional id',
  DELEGATION_TOKEN: 'Delegation token',
};
export const resourceOptions = ACL_RESOURCE_TYPES.map((value) => ({ value, label: RESOURCE_LABELS[value] }));
export const operationLabel = (o: string) => o.replace(/_/g, ' ');
export const operationOptions = (resourceType?: AclResourceType) =>
  (resourceType ? OPERATIONS_BY_RESOURCE[resourceType] : ACL_OPERATIONS).map((value) => ({
    value,
    label: operationLabel(value),
  }));

/** What a draft comes to: the bindings to preview and create, and the problem with each field that has one. */
export interface AclDraft {
  bindings: AclBindingSpec[];
  errors: Record<string, string>;
}

export interface RecipeForm {
  kind: 'producer' | 'consumer';
  principal: string;
  host: string;
  topic: string;
  topicPrefixed: boolean;
  idempotent: boolean;
  transactionalId: string;
  transactionalIdPrefixed: boolean;
  group: string;
  groupPrefixed: boolean;
}

export const emptyRecipeForm = (): RecipeForm => ({
  kind: 'producer',
  principal: '',
  host: '*',
  topic: '',
  topicPrefixed: false,
  idempotent: false,
  transactionalId: '',
  transactionalIdPrefixed: false,
  group: '',
  groupPrefixed: false,
});

const pattern = (prefixed: boolean): AclPatternType => (prefixed ? 'PREFIXED' : 'LITERAL');

/** Each binding checked as the core checks it; a problem is named at the field `fieldOf` gives its path. */
function checked(bindings: AclBindingSpec[], fieldOf: (b: AclBindingSpec, path: string) => string): AclDraft {
  const errors: Record<string, string> = {};
  for (const b of bindings) {
    const r = AclBindingInput.safeParse(b);
    if (r.success) continue;
    for (const issue of r.error.issues) errors[fieldOf(b, String(issue.path[0] ?? ''))] ??= issue.message;
  }
  return { bindings, errors };
}

/** A recipe's bindings, as kafka-acls --producer / --consumer would create them. */
export function recipeDraft(form: RecipeForm): AclDraft {
  const input = {
    kind: form.kind,
    principal: principalOf(form.principal),
    host: form.host.trim() || '*',
    topic: form.topic.trim(),
    topicPattern: pattern(form.topicPrefixed),
    ...(form.kind === 'producer'
      ? {
          idempotent: form.idempotent,
          ...(form.transactionalId.trim()
            ? {
                transactionalId: form.transactionalId.trim(),
                transactionalIdPattern: pattern(form.transactionalIdPrefixed),
              }
            : {}),
        }
      : { group: form.group.trim(), groupPattern: pattern(form.groupPrefixed) }),
  };
  const parsed = AclRecipe.safeParse(input);
  if (!parsed.success) {
    const errors: Record<string, string> = {};
    for (const issue of parsed.error.issues) errors[String(issue.path[0] ?? 'recipe')] ??= issue.message;
    return { bindings: [], errors };
  }
  const nameField: Record<string, string> = { TOPIC: 'topic', GROUP: 'group', TRANSACTIONAL_ID: 'transactionalId' };
  return checked(expandRecipe(parsed.data), (b, path) =>
    path === 'resourceName' || path === 'patternType' ? (nameField[b.resourceType] ?? path) : path,
  );
}

export interface FreeForm {
  principal: string;
  host: string;
  resourceType: AclResourceType;
  resourceName: string;
  prefixed: boolean;
  operations: AclOperation[];
  permission: 'ALLOW' | 'DENY';
}

export const emptyFreeForm = (): FreeForm => ({
  principal: '',
  host: '*',
  resourceType: 'TOPIC',
  resourceName: '',
  prefixed: false,
  operations: [],
  permission: 'ALLOW',
});

/** One binding per operation chosen, on the one resource named. */
export function freeDraft(form: FreeForm): AclDraft {
  const cluster = form.resourceType === 'CLUSTER';
  const entry = {
    resourceType: form.resourceType,
    resourceName: cluster ? CLUSTER_RESOURCE_NAME : form.resourceName.trim(),
    patternType: cluster ? ('LITERAL' as const) : pattern(form.prefixed),
    principal: principalOf(form.principal),
    host: form.host.trim() || '*',
    permission: form.permission,
  };
  if (!form.operations.length) {
    // the entry's own fields are still checked, as if with any one operation of the resource
    const probe = checked([{ ...entry, operation: OPERATIONS_BY_RESOURCE[form.resourceType][0]! }], (_b, p) => p);
    return { bindings: [], errors: { ...probe.errors, operations: 'choose at least one operation' } };
  }
  return checked(
    form.operations.map((operation) => ({ ...entry, operation })),
    (_b, path) => (path === 'operation' ? 'operations' : path === 'patternType' ? 'resourceName' : path),
  );
}

/** The message for a field: the draft's own, else what the core said about `bindings.N.<field>`. */
export function fieldProblem(draft: AclDraft, coreError: AppError | null, field: string): string | undefined {
  return (
    draft.errors[field] ??
    coreError?.fields?.find((f) => new RegExp(`^bindings\\.\\d+\\.${field}$`).test(f.path))?.message
  );
}

/** How a binding's resource reads in a table: `orders`, `orders.*` for a prefix, "every topic" for `*`. */
export function resourceText(b: Pick<AclBinding, 'resourceType' | 'resourceName' | 'patternType'>): string {
  if (b.resourceName === '*' && b.patternType === 'LITERAL') return `* (every ${resourceNoun(b.resourceType)})`;
  return b.patternType === 'PREFIXED' ? `${b.resourceName}…` : b.resourceName;
}
const resourceNoun = (t: string) =>
  ({ TOPIC: 'topic', GROUP: 'group', TRANSACTIONAL_ID: 'transactional id', DELEGATION_TOKEN: 'token' })[t] ??
  'resource';

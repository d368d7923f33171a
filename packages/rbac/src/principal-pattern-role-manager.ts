import type { MatchingFunc, RoleManager } from 'casbin';

/**
 * casbin's role manager (the store behind `g`) for Tau's bindings: grouping
 * rules link a principal pattern to role subjects, and the registered matching
 * function decides which patterns a requested principal falls under.
 *
 * casbin's DefaultRoleManager, once a matching function is set, rebuilds
 * every link for every `g()` call, comparing each name with each other name:
 * seconds per decision once a policy has a few hundred bindings. This
 * manager keeps the links indexed and resolves a subject's roles once (one
 * pass of the matching function over the linked names), then answers each
 * `g()` from that set. Patterns apply to the requested subject
 * only; links from there are followed exactly, since Tau has no role
 * hierarchy and binding patterns must never match one another.
 */
export class PrincipalPatternRoleManager implements RoleManager {
  private readonly links = new Map<string, string[]>();
  private matchingFunc: MatchingFunc | undefined;
  // Roles per requested subject; emptied whenever links or the matching function change.
  private readonly resolvedRoles = new Map<string, ReadonlySet<string>>();

  constructor(private readonly maxHierarchyLevel = 10) {}

  /** Registers the pattern function (casbin's `addNamedMatchingFunc('g', fn)` lands here). */
  async addMatchingFunc(nameOrFunc: string | MatchingFunc, func?: MatchingFunc): Promise<void> {
    const matching = typeof nameOrFunc === 'function' ? nameOrFunc : func;
    if (matching === undefined) throw new Error('a matching function is required');
    this.matchingFunc = matching;
    this.resolvedRoles.clear();
  }

  async clear(): Promise<void> {
    this.links.clear();
    this.resolvedRoles.clear();
  }

  async addLink(name1: string, name2: string, ...domain: string[]): Promise<void> {
    rejectDomains(domain);
    const targets = this.links.get(name1);
    if (targets === undefined) this.links.set(name1, [name2]);
    else if (!targets.includes(name2)) targets.push(name2);
    this.resolvedRoles.clear();
  }

  async deleteLink(name1: string, name2: string, ...domain: string[]): Promise<void> {
    rejectDomains(domain);
    const targets = this.links.get(name1);
    if (targets === undefined) return;
    const remaining = targets.filter((target) => target !== name2);
    if (remaining.length === 0) this.links.delete(name1);
    else this.links.set(name1, remaining);
    this.resolvedRoles.clear();
  }

  syncedHasLink(name1: string, name2: string, ...domain: string[]): boolean {
    rejectDomains(domain);
    return name1 === name2 || this.rolesOf(name1).has(name2);
  }

  async hasLink(name1: string, name2: string, ...domain: string[]): Promise<boolean> {
    return this.syncedHasLink(name1, name2, ...domain);
  }

  async getRoles(name: string, ...domain: string[]): Promise<string[]> {
    rejectDomains(domain);
    return [...this.rolesOf(name)];
  }

  async getUsers(name: string, ...domain: string[]): Promise<string[]> {
    rejectDomains(domain);
    return [...this.links].filter(([, targets]) => targets.includes(name)).map(([source]) => source);
  }

  async printRoles(): Promise<void> {}

  async getDomains(): Promise<string[]> {
    return [];
  }

  async getAllDomains(): Promise<string[]> {
    return [];
  }

  /**
   * Everything `subject` inherits: the targets of every linked name it equals
   * or matches as a pattern, then their links followed exactly up to the
   * hierarchy limit. Synchronous, for decisions made without a promise.
   */
  rolesOf(subject: string): ReadonlySet<string> {
    const cached = this.resolvedRoles.get(subject);
    if (cached !== undefined) return cached;
    const roles = new Set<string>();
    let frontier: string[] = [];
    for (const [source, targets] of this.links) {
      if (source === subject || (this.matchingFunc !== undefined && this.matchingFunc(subject, source))) {
        frontier.push(...targets);
      }
    }
    for (let level = 0; level < this.maxHierarchyLevel && frontier.length > 0; level += 1) {
      const next: string[] = [];
      for (const role of frontier) {
        if (roles.has(role) || role === subject) continue;
        roles.add(role);
        next.push(...(this.links.get(role) ?? []));
      }
      frontier = next;
    }
    // A CLI process asks about one or two principals; the bound keeps a long-lived caller's memory flat.
    if (this.resolvedRoles.size >= 1024) this.resolvedRoles.clear();
    this.resolvedRoles.set(subject, roles);
    return roles;
  }
}

function rejectDomains(domain: string[]): void {
  if (domain.length > 0) throw new Error('rbac role links take no domain');
}

import { orgObjects } from './org.ts';
import type { FieldDef, ObjectDef } from './types.ts';

/** A child relationship as describe and SOQL subqueries see it. */
export type ChildRelationship = { childSObject: string; field: string; relationshipName: string };

/**
 * The schema registry: one source for describe output, SOQL name resolution and DML validation.
 * Object and field names resolve case-insensitively, as in Salesforce.
 */
export class SchemaRegistry {
  readonly #objects = new Map<string, ObjectDef>();
  readonly #fields = new Map<string, Map<string, FieldDef>>();

  constructor(objects: ObjectDef[] = orgObjects()) {
    for (const def of objects) {
      this.#objects.set(def.name.toLowerCase(), def);
      this.#fields.set(def.name.toLowerCase(), new Map(def.fields.map((f) => [f.name.toLowerCase(), f])));
    }
  }

  objects(): ObjectDef[] {
    return [...this.#objects.values()];
  }

  object(name: string): ObjectDef | undefined {
    return this.#objects.get(name.toLowerCase());
  }

  objectByPrefix(keyPrefix: string): ObjectDef | undefined {
    return this.objects().find((o) => o.keyPrefix === keyPrefix);
  }

  field(object: string, field: string): FieldDef | undefined {
    return this.#fields.get(object.toLowerCase())?.get(field.toLowerCase());
  }

  /** The reference field whose relationship name is `relationship` (`Account` → AccountId). */
  relationship(object: string, relationship: string): FieldDef | undefined {
    const lower = relationship.toLowerCase();
    return this.object(object)?.fields.find((f) => f.relationshipName?.toLowerCase() === lower);
  }

  /** The objects a reference field may point to (one, or a polymorphic field's list). */
  referenceTargets(field: FieldDef): string[] {
    return field.polymorphicTo ?? (field.referenceTo === undefined ? [] : [field.referenceTo]);
  }

  /** The object a reference field's value points to: the target whose key prefix the ID has. */
  referenceTargetOf(field: FieldDef, id: string): string | undefined {
    const targets = this.referenceTargets(field);
    if (targets.length <= 1) return targets[0];
    const prefix = id.slice(0, 3);
    return targets.find((t) => this.object(t)?.keyPrefix === prefix);
  }

  childRelationships(object: string): ChildRelationship[] {
    const target = this.object(object)?.name;
    const out: ChildRelationship[] = [];
    for (const def of this.objects()) {
      for (const f of def.fields) {
        if (f.referenceTo === target && f.childRelationshipName) {
          out.push({ childSObject: def.name, field: f.name, relationshipName: f.childRelationshipName });
        }
      }
    }
    return out;
  }

  childRelationship(object: string, name: string): ChildRelationship | undefined {
    const lower = name.toLowerCase();
    return this.childRelationships(object).find((r) => r.relationshipName.toLowerCase() === lower);
  }
}

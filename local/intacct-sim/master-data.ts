import type { OpContext } from './context.ts';
import { businessError, duplicateError } from './errors.ts';
import { type ObjectDef, objectDef } from './objects.ts';
import { insert, requireFields } from './records.ts';
import type { FieldMap } from './xml.ts';

const ITEM_TYPES = Object.keys(objectDef('ITEM')?.codes?.ITEMTYPE ?? {});

/** Validates and fills defaults for a new master-data record (CUSTOMER, CONTACT, ITEM, VENDOR). */
export function prepareMasterData(ctx: OpContext, def: ObjectDef, fields: FieldMap): FieldMap {
  requireFields(def.label, fields, def.required);
  const id = def.idField ? fields[def.idField] : undefined;
  if (def.idField && typeof id === 'string' && ctx.store.findBy(def.name, def.idField, id)) {
    throw duplicateError(def.label, id);
  }
  const out: FieldMap = { STATUS: 'active', ...fields };
  checkStatus(out);
  for (const k of def.readOnly) delete out[k];
  switch (def.name) {
    case 'CUSTOMER':
    case 'VENDOR': {
      out.ONHOLD ??= 'false';
      out.ONETIME ??= 'false';
      out.CREDITLIMIT ??= '';
      out.TOTALDUE = '0.00';
      const contact = out.DISPLAYCONTACT;
      if (contact && typeof contact === 'object' && !Array.isArray(contact)) {
        // '[Name](C[ID])' for a customer, '[Name](V[ID])' for a vendor (the SDK's VendorCreate says so)
        contact.CONTACTNAME ||= `${String(out.NAME)}(${def.name === 'VENDOR' ? 'V' : 'C'}${String(id)})`;
      }
      break;
    }
    case 'ITEM':
      if (!ITEM_TYPES.includes(String(out.ITEMTYPE))) {
        throw businessError(
          `Invalid item type '${String(out.ITEMTYPE)}'.`,
          `Use one of: ${ITEM_TYPES.join(', ')}.`,
        );
      }
      break;
  }
  return out;
}

/** After a customer/vendor is created, its display contact exists as a CONTACT record, as in Intacct. */
export function createDisplayContact(ctx: OpContext, fields: FieldMap): void {
  const contact = fields.DISPLAYCONTACT;
  if (!contact || typeof contact !== 'object' || Array.isArray(contact)) return;
  const name = contact.CONTACTNAME;
  if (typeof name !== 'string' || ctx.store.findBy('CONTACT', 'CONTACTNAME', name)) return;
  const created = insert(ctx, 'CONTACT', { STATUS: 'active', ...contact });
  fields.DISPLAYCONTACTKEY = String(created.recordNo);
}

/** STATUS takes display values on generic writes. */
export function checkStatus(fields: FieldMap): void {
  const status = fields.STATUS;
  if (status !== undefined && status !== 'active' && status !== 'inactive') {
    throw businessError(`Invalid STATUS '${String(status)}'.`, "Use 'active' or 'inactive'.");
  }
  for (const flag of ['ONHOLD', 'ONETIME', 'TAXABLE']) {
    const v = fields[flag];
    if (v !== undefined && v !== '' && v !== 'true' && v !== 'false') {
      throw businessError(`Invalid ${flag} '${String(v)}'.`, "Use 'true' or 'false'.");
    }
  }
}

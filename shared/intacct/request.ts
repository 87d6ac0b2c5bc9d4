import { buildXml, type XmlObject } from './xml.ts';

/** Sender (Web Services partner) credentials for the control block. */
export interface SenderCredentials {
  senderId: string;
  senderPassword: string;
}

/** `login` authenticates with user credentials (optionally into an entity); `session` with a session ID. */
export type RequestAuthentication =
  | {
      type: 'login';
      userId: string;
      companyId: string;
      password: string;
      clientId?: string;
      locationId?: string;
    }
  | { type: 'session'; sessionId: string };

/** One `<function controlid="…">` with its single function element. */
export interface FunctionElement {
  controlId: string;
  name: string;
  /** Children and `@_` attributes of the function element, in the order they must be written. */
  body: XmlObject;
}

/** Everything one HTTP request carries. */
export interface RequestSpec {
  sender: SenderCredentials;
  /** Echoed back by the gateway; not checked for uniqueness. */
  controlId: string;
  /** `true` makes the gateway reject a function control ID it already executed. */
  uniqueId: boolean;
  /** All functions succeed or all roll back. */
  transaction?: boolean;
  authentication: RequestAuthentication;
  functions: readonly FunctionElement[];
}

/**
 * Writes the request XML exactly as the official SDKs do: `utf-8` prolog, control children in
 * schema order (senderid, password, controlid, uniqueid, dtdversion 3.0, includewhitespace false),
 * `true`/`false` literals, one operation, functions in caller order.
 */
export function buildRequestXml(spec: RequestSpec): string {
  const auth = spec.authentication;
  const authentication: XmlObject =
    auth.type === 'session'
      ? { sessionid: auth.sessionId }
      : {
          login: {
            userid: auth.userId,
            companyid: auth.companyId,
            password: auth.password,
            clientid: auth.clientId,
            locationid: auth.locationId,
          },
        };
  const tree: XmlObject = {
    request: {
      control: {
        senderid: spec.sender.senderId,
        password: spec.sender.senderPassword,
        controlid: spec.controlId,
        uniqueid: spec.uniqueId,
        dtdversion: '3.0',
        includewhitespace: false,
      },
      operation: {
        '@_transaction': spec.transaction === true,
        authentication,
        content: {
          function: spec.functions.map((f) => ({ '@_controlid': f.controlId, [f.name]: f.body })),
        },
      },
    },
  };
  return `<?xml version="1.0" encoding="utf-8"?>\n${buildXml(tree)}`;
}

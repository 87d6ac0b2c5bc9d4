/**
 * The `webhook` section of the sync config: how hard the public HTTP API is to get into. Every
 * part is optional; without the section the webhook works as before (path token, org ID, shared
 * secret). docs/deploying.md "Hardening the webhook" explains each setting.
 */
import * as z from 'zod/v4';
import { cidrProblem } from '#shared/http/cidr.ts';

const HOSTNAME = /^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const ACM_CERTIFICATE = /^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f-]{36}$/;
/** `s3://bucket/key`, the bucket named by S3's rules (3–63 lower-case letters, digits, dots, dashes). */
export const TRUSTSTORE_URI = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])\/(\S+\.pem)$/;

const cidr = z.string().superRefine((value, ctx) => {
  const problem = cidrProblem(value);
  if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
});

export const webhookConfigSchema = z
  .strictObject({
    /**
     * Mutual TLS on the outbound-message route: an API Gateway custom domain that only completes
     * the TLS handshake for a client certificate chaining to the truststore (Salesforce's client
     * certificate), with the default execute-api endpoint switched off. Absent: no custom domain.
     */
    mutualTls: z
      .strictObject({
        /** The custom domain Salesforce posts to, e.g. `sync.example.com` (you own its DNS). */
        domainName: z.string().regex(HOSTNAME, 'write a lower-case host name such as sync.example.com'),
        /** ACM certificate for domainName, in the stack's region (the server certificate). */
        certificateArn: z
          .string()
          .regex(
            ACM_CERTIFICATE,
            'use the ARN of an ACM certificate: arn:aws:acm:<region>:<account>:certificate/<id>',
          ),
        /** PEM bundle in S3 holding Salesforce's client certificate and its CA chain. */
        truststoreUri: z
          .string()
          .regex(TRUSTSTORE_URI, 'use s3://<bucket>/<key>.pem, the PEM truststore you uploaded'),
        /** S3 object version of the truststore (a versioned bucket); absent: the latest object. */
        truststoreVersion: z.string().min(1).max(1024).optional(),
      })
      .optional(),
    /**
     * Source addresses the outbound-message route accepts, as IPv4/IPv6 CIDRs (Salesforce's
     * published ranges). Absent: any address. Requests from elsewhere get 403 before parsing.
     */
    allowedSourceCidrs: z
      .array(cidr)
      .min(1, 'list at least one range, or leave the key out')
      .max(500)
      .optional(),
    intacctPush: z
      .strictObject({
        /** A push whose x-sfi-timestamp is older (or further ahead) than this, or whose x-sfi-request-id was seen within it, is refused. */
        replayWindowSeconds: z.number().int().min(30).max(3600).default(300),
        /** Refuse pushes without x-sfi-timestamp and x-sfi-request-id (senders that can set headers). */
        requireReplayHeaders: z.boolean().default(false),
      })
      .prefault({}),
  })
  .prefault({});

export type WebhookConfig = z.infer<typeof webhookConfigSchema>;

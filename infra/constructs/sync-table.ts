import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import type { AttributeType as DefinitionAttributeType, TableDefinition } from '#infra/definitions.ts';

const ATTRIBUTE_TYPES: Record<DefinitionAttributeType, AttributeType> = {
  S: AttributeType.STRING,
  N: AttributeType.NUMBER,
};

export interface SyncTableProps {
  definition: TableDefinition;
  tableName: string;
}

/**
 * A DynamoDB table built from its shared definition, with the house defaults for state that must
 * survive: on-demand billing, point-in-time recovery, encryption with the AWS-managed key,
 * deletion protection and a RETAIN removal policy (deleting the stack never deletes sync state).
 */
export class SyncTable extends Construct {
  readonly table: Table;
  readonly definition: TableDefinition;

  constructor(scope: Construct, id: string, props: SyncTableProps) {
    super(scope, id);
    const { definition } = props;
    this.definition = definition;
    this.table = new Table(this, 'Table', {
      tableName: props.tableName,
      partitionKey: {
        name: definition.partitionKey.name,
        type: ATTRIBUTE_TYPES[definition.partitionKey.type],
      },
      sortKey: { name: definition.sortKey.name, type: ATTRIBUTE_TYPES[definition.sortKey.type] },
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: TableEncryption.AWS_MANAGED,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
      ...(definition.timeToLiveAttribute === undefined
        ? {}
        : { timeToLiveAttribute: definition.timeToLiveAttribute }),
    });
    for (const index of definition.globalSecondaryIndexes) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.indexName,
        partitionKey: { name: index.partitionKey.name, type: ATTRIBUTE_TYPES[index.partitionKey.type] },
        sortKey: { name: index.sortKey.name, type: ATTRIBUTE_TYPES[index.sortKey.type] },
      });
    }
  }
}

import { writeSyntheticAuditLog } from './synthetic-audit-log.js';
console.log(writeSyntheticAuditLog(process.argv[2] as string, Number(process.argv[3]), 'chained'));

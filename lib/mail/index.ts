import "server-only";

// Email: outbox in the database, delivery over SMTP (docs/operations.md "Email").
export { appUrl, mailConfig, type MailConfig } from "./config";
export { deliverOutbox, smtpMailer, type DeliveryResult, type Mailer } from "./deliver";
export { emailOutboxStatus, queueApprovalDigests, queueEmail, type OutboxStatus } from "./outbox";
export { deliverSoon } from "./soon";
export { renderEmail, type EmailKind } from "./templates";

import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";

// A real SMTP server on loopback (the `smtp-server` package) for the email tests: it receives what
// nodemailer sends and parses each message (mailparser), or refuses as a failing server would.

export type ReceivedMail = { to: string[]; from: string; subject: string; text: string; html: string; raw: string };

export type FakeSmtp = {
  url: string;
  received: ReceivedMail[];
  /** How the server answers each message from now on: accept, refuse for now (451), or reject the address for good (550). */
  mode: "accept" | "fail" | "reject_rcpt";
  /** Milliseconds the server waits before accepting a message (to make deliveries overlap). */
  delayMs: number;
  close(): Promise<void>;
};

export async function startFakeSmtp(port: number): Promise<FakeSmtp> {
  const state: FakeSmtp = {
    url: `smtp://127.0.0.1:${port}`,
    received: [],
    mode: "accept",
    delayMs: 0,
    close: async () => {},
  };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (state.mode === "reject_rcpt") {
        const err = new Error("Mailbox unavailable") as Error & { responseCode: number };
        err.responseCode = 550;
        return callback(err);
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", async () => {
        if (state.mode === "fail") {
          const err = new Error("Try again later") as Error & { responseCode: number };
          err.responseCode = 451;
          return callback(err);
        }
        if (state.delayMs > 0) await new Promise((r) => setTimeout(r, state.delayMs));
        const raw = Buffer.concat(chunks).toString("utf8");
        const parsed = await simpleParser(raw);
        state.received.push({
          to: session.envelope.rcptTo.map((r) => r.address),
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
          subject: parsed.subject ?? "",
          text: parsed.text ?? "",
          html: typeof parsed.html === "string" ? parsed.html : "",
          raw,
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  state.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return state;
}

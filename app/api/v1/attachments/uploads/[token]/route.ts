import { WRITE_RECORDS } from "@/lib/auth/permissions";
import { receiveUpload } from "@/lib/data/attachment-uploads";
import { handler, ok } from "@/lib/http/handler";
import { uploadTokenParams } from "@/lib/schemas/attachments";

export const dynamic = "force-dynamic";

// PUT /api/v1/attachments/uploads/:token — the bytes of a direct upload, in embedded and Postgres modes (on Supabase they go to Storage's signed URL)
export const PUT = handler({ permission: WRITE_RECORDS, params: uploadTokenParams }, async ({ req, actor, params }) => ok(await receiveUpload(actor, params.token, req)));

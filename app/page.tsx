import { redirect } from "next/navigation";
import { currentActor } from "@/lib/auth/page";
import { landingPath } from "@/lib/auth/permissions";

// / — send signed-in users to their landing page, everyone else to the login page
export default async function Home() {
  const actor = await currentActor();
  redirect(actor ? landingPath(actor.role) : "/login");
}

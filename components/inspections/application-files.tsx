"use client";

import { useTranslations } from "next-intl";
import { uploadFile } from "./upload";

/**
 * Files sent with a new inspection application (a specification, a drawing). The application
 * has no id before it is created, so the files go up right after, through the same direct-upload
 * path as any later file: the database checks that the user may add a document to that
 * inspection, and the app checks each file's content.
 */
export function ApplicationFilesField({ onChange, disabled }: { onChange: (files: File[]) => void; disabled?: boolean }) {
  const t = useTranslations("inspections.applicationFiles");
  return (
    <div className="sm:col-span-2">
      <label htmlFor="app-files" className="block text-sm font-medium text-slate-800">
        {t("label")}
      </label>
      <input
        id="app-files"
        name="files"
        type="file"
        multiple
        disabled={disabled}
        accept=".pdf,.jpg,.jpeg,.png,.webp,.xlsx,application/pdf,image/jpeg,image/png,image/webp"
        aria-describedby="app-files-hint"
        onChange={(e) => onChange(Array.from(e.target.files ?? []))}
        className="mt-1 block w-full text-sm text-slate-900 file:mr-3 file:rounded-md file:border file:border-slate-300 file:bg-white file:px-3 file:py-1.5"
        data-testid="application-files"
      />
      <p id="app-files-hint" className="mt-1 text-xs text-slate-700">
        {t("hint")}
      </p>
    </div>
  );
}

/** Uploads the files to the new application one after another; answers the names that failed. */
export async function uploadApplicationFiles(inspectionId: string, files: File[], onProgress: (done: number) => void): Promise<string[]> {
  const failed: string[] = [];
  for (const [i, file] of files.entries()) {
    const res = await uploadFile({ kind: "document", internal: false, inspection_id: inspectionId }, file);
    if (!res.ok) failed.push(file.name);
    onProgress(i + 1);
  }
  return failed;
}

/** The trace list's "Download": every span of the traces it shows (lib/export-proxy.ts). */
import { exportProxy } from '@/lib/export-proxy';

export const dynamic = 'force-dynamic';

export const GET = exportProxy('traces');

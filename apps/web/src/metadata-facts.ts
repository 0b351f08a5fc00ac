import type { ImageView } from '@gallery/message-schema';

export type Metadata = NonNullable<ImageView['metadata']>;

/** A shutter time as photographers write it: 1/250 s, 0.5 s, 2 s. */
export function formatExposure(seconds: number): string {
  if (seconds >= 0.3) return `${Number(seconds.toFixed(1))} s`;
  return `1/${Math.round(1 / seconds)} s`;
}

/** The date and time as the camera's clock read, and its offset when the file has one. */
function formatTaken(takenAt: string, offset: string | undefined): string {
  const [date, time] = takenAt.split('T');
  return `${date} ${time}${offset ? ` (UTC${offset})` : ''}`;
}

function formatLocation({ latitude, longitude, altitude }: NonNullable<Metadata['location']>) {
  const lat = `${Math.abs(latitude).toFixed(5)}° ${latitude < 0 ? 'S' : 'N'}`;
  const lon = `${Math.abs(longitude).toFixed(5)}° ${longitude < 0 ? 'W' : 'E'}`;
  return `${lat}, ${lon}${altitude === undefined ? '' : `, ${Math.round(altitude)} m`}`;
}

/** The metadata panel's rows, label and value, for what the file has; none for `{}`. */
export function metadataFacts(metadata: Metadata): [string, string][] {
  const { make, model } = metadata;
  // Most models repeat the make (`Canon`, `Canon EOS R5`): say it once.
  const camera = make && model?.startsWith(make) ? model : [make, model].filter(Boolean).join(' ');
  const exposure = [
    metadata.aperture && `f/${Number(metadata.aperture.toFixed(1))}`,
    metadata.exposureTime && formatExposure(metadata.exposureTime),
    metadata.iso && `ISO ${metadata.iso}`,
    metadata.focalLength && `${Number(metadata.focalLength.toFixed(1))} mm`,
  ].filter(Boolean);
  const rows: [string, string | undefined | false][] = [
    ['Taken', metadata.takenAt && formatTaken(metadata.takenAt, metadata.offset)],
    ['Camera', camera || undefined],
    ['Lens', metadata.lens],
    ['Exposure', exposure.length > 0 && exposure.join(' · ')],
    [
      'Pixels',
      metadata.width && metadata.height ? `${metadata.width} × ${metadata.height}` : undefined,
    ],
    ['Location', metadata.location && formatLocation(metadata.location)],
  ];
  return rows.filter((row): row is [string, string] => typeof row[1] === 'string' && row[1] !== '');
}

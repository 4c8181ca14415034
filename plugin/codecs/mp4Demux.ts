/**
 * An MP4's first video track, demuxed by mp4box (GPAC's, BSD-3-Clause; it reads any ISO-BMFF file a camera or an
 * editor writes, not only ours): what a decoder needs, on a page (WebCodecs) and in Node (a wasm H.264 decoder) alike.
 */
import { createFile, DataStream, Endianness, MP4BoxBuffer, type ISOFile, type Movie } from 'mp4box';

/** One coded frame, as stored (decode order), with its presentation time. */
export interface Mp4Sample {
  data: Uint8Array;
  /** Presentation time and duration, in seconds. */
  time: number;
  duration: number;
  isSync: boolean;
}

/** H.264's set-up (the avcC box): profile, level and the parameter sets the samples refer to. */
export interface AvcConfig {
  /** profile_idc: 66 Baseline, 77 Main, 100 High, ... */
  profile: number;
  /** The constraint flags byte: 0x80 = the stream keeps to Baseline's tools. */
  compatibility: number;
  level: number;
  /** Bytes of each NAL unit's length prefix in a sample. */
  lengthSize: number;
  sps: Uint8Array[];
  pps: Uint8Array[];
}

export interface Mp4Video {
  /** The RFC 6381 codec string (avc1.42000a, hvc1..., vp09..., av01...). */
  codec: string;
  width: number;
  height: number;
  /** The codec's set-up bytes (avcC, hvcC, vpcC or av1C without its box header), as VideoDecoderConfig.description wants. */
  description?: Uint8Array;
  /** Set for H.264. */
  avc?: AvcConfig;
  /** In decode order: fewer than `declaredSamples` where the file was cut short. */
  samples: Mp4Sample[];
  declaredSamples: number;
  /** Seconds, from the track's sample durations. */
  duration: number;
}

interface AvcCBox {
  AVCProfileIndication: number;
  profile_compatibility: number;
  AVCLevelIndication: number;
  lengthSizeMinusOne: number;
  SPS: { data: Uint8Array }[];
  PPS: { data: Uint8Array }[];
}

type SetUpBox = { write(s: DataStream): void };

function setUpBoxes(file: ISOFile, trackId: number): { box?: SetUpBox; avcC?: AvcCBox } {
  for (const entry of file.getTrackById(trackId).mdia.minf.stbl.stsd.entries) {
    const e = entry as unknown as Record<string, SetUpBox | undefined>;
    const box = e.avcC ?? e.hvcC ?? e.vpcC ?? e.av1C;
    if (box) return { box, avcC: e.avcC as unknown as AvcCBox | undefined };
  }
  return {};
}

function bytesOf(box: SetUpBox): Uint8Array {
  const stream = new DataStream(undefined, 0, Endianness.BIG_ENDIAN);
  box.write(stream);
  return new Uint8Array(stream.buffer, 8);
}

/** The first video track; undefined where the file is not an MP4 (a WebM, a damaged file) or has no video track. */
export function demuxMp4Video(bytes: ArrayBuffer): Mp4Video | undefined {
  const file = createFile();
  let movie: Movie | undefined;
  const samples: Mp4Sample[] = [];
  // samples are extracted as the file is read, so extraction starts as soon as the tracks are known
  file.onReady = (info) => {
    movie = info;
    const video = info.videoTracks[0];
    if (video) {
      file.setExtractionOptions(video.id, undefined, { nbSamples: video.nb_samples });
      file.start();
    }
  };
  file.onError = () => undefined;
  file.onSamples = (_id, _user, got) => {
    for (const s of got)
      if (s.data)
        samples.push({
          data: s.data,
          time: s.cts / s.timescale,
          duration: s.duration / s.timescale,
          isSync: s.is_sync,
        });
  };
  try {
    file.appendBuffer(MP4BoxBuffer.fromArrayBuffer(bytes, 0), true);
    file.flush();
  } catch {
    return undefined;
  }
  const track = movie?.videoTracks[0];
  if (!track) return undefined;
  const { box, avcC } = setUpBoxes(file, track.id);
  return {
    codec: track.codec,
    width: track.video?.width ?? track.track_width,
    height: track.video?.height ?? track.track_height,
    ...(box ? { description: bytesOf(box) } : {}),
    ...(avcC
      ? {
          avc: {
            profile: avcC.AVCProfileIndication,
            compatibility: avcC.profile_compatibility,
            level: avcC.AVCLevelIndication,
            lengthSize: avcC.lengthSizeMinusOne + 1,
            sps: avcC.SPS.map((p) => p.data),
            pps: avcC.PPS.map((p) => p.data),
          },
        }
      : {}),
    samples,
    declaredSamples: track.nb_samples,
    duration: track.samples_duration / track.timescale,
  };
}

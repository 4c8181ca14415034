/** h264-mp4-encoder's web build exports what its Node build does (webpack.config.js turns its global into exports). */
declare module 'h264-mp4-encoder/embuild/dist/h264-mp4-encoder.web.js' {
  export { createH264MP4Encoder } from 'h264-mp4-encoder';
}

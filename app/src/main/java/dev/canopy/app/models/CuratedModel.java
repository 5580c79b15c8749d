package dev.canopy.app.models;

/**
 * A small instruct model Canopy suggests downloading.
 *
 * @param id          stable key
 * @param title       e.g. "Qwen2.5 0.5B Instruct"
 * @param family      Qwen, Llama, SmolLM, Gemma
 * @param url         https download address of the .gguf file
 * @param approxBytes approximate size, for the list
 * @param sha256      expected checksum, or empty to use the one the server reports
 * @param description one line: what it is good for
 */
public record CuratedModel(String id, String title, String family, String url, long approxBytes, String sha256,
                           String description) {

    public CuratedModel {
        if (sha256 == null) sha256 = "";
    }

    /** The file name the download will have. */
    public String fileName() {
        return url.substring(url.lastIndexOf('/') + 1);
    }
}

package io.github.erofs4j.core.extract;

/** Paths inside the image and their text in messages. */
final class Names {
    private Names() {}

    /** Joins a parent path inside the image and a child name ("" is the root). */
    static String child(String parent, String name) {
        return parent.isEmpty() ? name : parent + "/" + name;
    }


    /** A path inside the image as users write it: "/" for the root, else with a leading slash. */
    static String display(String rel) {
        return "/" + rel;
    }
}

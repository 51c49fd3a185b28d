package dev.hansa.compute;

class JavaBackendTest implements BackendContract {

    private static final JavaBackend BACKEND = new JavaBackend();

    @Override
    public Backend backend() {
        return BACKEND;
    }
}
